#!/usr/bin/env bash
# The machine's stand-ins for a customer's hypervisor and hosts, which the provider tests start
# and stop themselves: libvirt with its QEMU driver (domains that are defined but never started
# need no KVM), qemu-img for their disks, and an OpenSSH server. Installs the Debian packages only
# when a program is missing, and creates the user libvirt's QEMU driver runs guests as (normally
# made by the libvirt-daemon-system package, which also wants systemd). Needs root; idempotent.
set -euo pipefail

PACKAGES=(libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-utils qemu-system-x86 openssh-server)

missing=0
for program in libvirtd virsh qemu-img qemu-system-x86_64 /usr/sbin/sshd ssh-keygen; do
  command -v "$program" >/dev/null 2>&1 || missing=1
done
# The QEMU driver is a plug-in of libvirtd: present only with its own package.
[[ -e /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so ]] || missing=1

if [[ "$missing" == 1 ]]; then
  echo "test-hosts: installing ${PACKAGES[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
else
  echo "test-hosts: libvirt, qemu and OpenSSH already installed"
fi

getent group kvm >/dev/null || groupadd -r kvm
getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
id libvirt-qemu >/dev/null 2>&1 || useradd -r -g libvirt-qemu -G kvm libvirt-qemu
mkdir -p /var/log/libvirt /var/run/libvirt /run/sshd

# libvirt's QEMU driver probes the QEMU binary's capabilities on its first start and caches them in
# /var/cache/libvirt; on a fresh machine with 2 busy cores that took minutes, longer than a test waits
# for its daemon. Probe once here, where waiting is expected, so tests start a warm daemon.
if [[ ! -d /var/cache/libvirt/qemu/capabilities ]] || [[ -z "$(ls -A /var/cache/libvirt/qemu/capabilities 2>/dev/null)" ]]; then
  if ! virsh -c qemu:///system list >/dev/null 2>&1; then
    pidfile="$(mktemp -d)/libvirtd.pid"
    libvirtd -d --pid-file "$pidfile"
    for _ in $(seq 1 600); do
      virsh -c qemu:///system list >/dev/null 2>&1 && break
      sleep 1
    done
    virsh -c qemu:///system capabilities >/dev/null
    kill "$(cat "$pidfile")"
    echo "test-hosts: libvirt's QEMU capabilities probed and cached"
  fi
fi
