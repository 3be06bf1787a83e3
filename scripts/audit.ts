import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { AuditService } from '../platform/audit/audit-service';
import { historyFileName, readHistoryFiles, replayHistories, type ReplayVerdict } from '../platform/audit/history-replayer';
import { loadConfig, type AppConfig } from '../platform/config';
import { createDataSource } from '../platform/database/data-source';
import { createLogger, installTemporalRuntime } from '../platform/logging';
import { payloadDataConverter } from '../platform/payload-codec';
import { WORKFLOW_BUNDLE_PATH } from '../worker/workflow-bundle';

const USAGE = `usage: npm run audit -- <command>
  export <requestId> [--out DIR] [--decrypt]
                                      write the request's histories (proto3 JSON, one file per workflow);
                                      --decrypt opens the encrypted payloads (the files then hold secrets)
  archive [--watch]                   archive closed requests now (--watch: every ARCHIVE_SWEEP_MINUTES)
  verify-archive [--expect-head D]    check the archive's digest chain; names the first broken link
  replay <file|folder> | --archive | --unarchived [--concurrency N]
                                      replay histories against the current workflow code,
                                      N at once (default AUDIT_REPLAY_CONCURRENCY)
  report <requestId> [--html FILE]    the request's audit report as JSON (and printable HTML)
Exit code 1 when a replay diverges, the chain is broken or the report disagrees with audit_events.`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, decrypt: { type: 'boolean' }, watch: { type: 'boolean' }, 'expect-head': { type: 'string' }, archive: { type: 'boolean' }, unarchived: { type: 'boolean' }, html: { type: 'string' }, concurrency: { type: 'string' } },
  });
  const [command, subject] = positionals;
  const config = loadConfig(process.env, { requirePayloadKeys: true });
  if (values.concurrency !== undefined) {
    if (!/^[1-9]\d*$/.test(values.concurrency)) return usage('--concurrency must be a whole number of at least 1');
    config.auditReplayConcurrency = Number(values.concurrency);
  }
  // The replayer runs a worker; only its warnings belong in a report meant for people.
  installTemporalRuntime(createLogger('audit', config.logLevel), 'WARN');
  if (command === 'replay' && !values.archive && !values.unarchived) {
    if (!subject) return usage();
    const histories = await readHistoryFiles(subject);
    return printVerdicts(await replayHistories(histories, {
      workflowBundlePath: WORKFLOW_BUNDLE_PATH, payloadKeys: config.payloadKeys, concurrency: config.auditReplayConcurrency,
    }));
  }
  if (!['export', 'archive', 'verify-archive', 'replay', 'report'].includes(command)) return usage();
  if ((command === 'export' || command === 'report') && !subject) return usage();
  return withAuditService(config, async (audit) => {
    switch (command) {
      case 'export': {
        const out = values.out ?? `histories-${subject}`;
        await mkdir(out, { recursive: true });
        for (const history of await audit.exportRequest(subject, { decrypt: values.decrypt })) {
          const file = path.join(out, historyFileName(history.workflowId));
          await writeFile(file, history.json);
          print(`${file}  (${history.workflowId}, run ${history.runId}, from ${history.source})`);
        }
        return 0;
      }
      case 'archive':
        do {
          const { archived, open } = await audit.archiveClosed();
          print(`archived ${archived.length} histories${archived.map((id) => `\n  ${id}`).join('')}\n${open} requests still open`);
          if (values.watch) await new Promise((r) => setTimeout(r, Math.max(1, config.archiveSweepMinutes) * 60_000));
        } while (values.watch);
        return 0;
      case 'verify-archive': {
        const verdict = await audit.verifyArchive(values['expect-head']);
        print(verdict.intact
          ? `archive intact: ${verdict.checked} histories, head digest ${verdict.headDigest ?? '(empty)'}`
          : `archive BROKEN at seq ${verdict.brokenLink!.seq} (${verdict.brokenLink!.workflowId}): ${verdict.brokenLink!.reason}\n${verdict.checked} histories before it are intact`);
        return verdict.intact ? 0 : 1;
      }
      case 'replay':
        return printVerdicts(await (values.archive ? audit.replayArchive() : audit.replayUnarchived()));
      default: {
        const report = await audit.report(subject);
        if (values.html) await writeFile(values.html, await audit.reportHtml(subject));
        print(JSON.stringify(report, null, 2));
        return report.differences.length === 0 ? 0 : 1;
      }
    }
  });
}

async function withAuditService(config: AppConfig, use: (audit: AuditService) => Promise<number>): Promise<number> {
  const dataSource: DataSource = await createDataSource(config.database).initialize();
  const connection = Connection.lazy({ address: config.temporal.address });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: payloadDataConverter(config.payloadKeys) });
    const audit = new AuditService({
      client, dataSource, payloadKeys: config.payloadKeys, workflowBundlePath: WORKFLOW_BUNDLE_PATH, replayConcurrency: config.auditReplayConcurrency,
      replayLaneIdleMs: config.auditReplayLaneIdleMs,
    });
    try {
      return await use(audit);
    } finally {
      await audit.close();
    }
  } finally {
    await connection.close();
    await dataSource.destroy();
  }
}

function printVerdicts(verdicts: ReplayVerdict[]): number {
  for (const v of verdicts) print(v.deterministic ? `ok        ${v.workflowId}  (${v.origin})` : `DIVERGED  ${v.workflowId}  (${v.origin})\n  ${v.divergence}`);
  const diverged = verdicts.filter((v) => !v.deterministic).length;
  print(`${verdicts.length} replayed, ${diverged} diverged`);
  return diverged === 0 ? 0 : 1;
}

function usage(problem?: string): number {
  process.stderr.write(`${problem ? `${problem}\n` : ''}${USAGE}\n`);
  return 2;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(`audit failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
