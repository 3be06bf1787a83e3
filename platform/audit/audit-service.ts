import type { Client } from '@temporalio/client';
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { payloadDataConverter, type PayloadKeyRing } from '../payload-codec';
import { archiveClosedRequests, type SweepResult } from './archive-sweeper';
import { buildAuditReport, type AuditReport } from './audit-report';
import { renderAuditReportHtml } from './audit-report.html';
import { HistoryArchive, type ChainVerdict } from './history-archive';
import { decryptHistoryJson } from './history-decryption';
import { replayHistories, replayInLanes, type ReplayVerdict } from './history-replayer';
import { ReplayLanePool } from './replay-lane-pool';
import { HistoryStore } from './history-store';
import type { WorkflowHistory } from './workflow-history';

export interface AuditDependencies {
  client: Client;
  dataSource: DataSource;
  payloadKeys: PayloadKeyRing;
  /** The bundled workflow code replays run against (worker/workflow-bundle.ts). */
  workflowBundlePath: string;
  /** Histories replayed at once (AUDIT_REPLAY_CONCURRENCY). */
  replayConcurrency: number;
  /** How long the replay lanes are kept for the next replay (AUDIT_REPLAY_LANE_IDLE_SECONDS). */
  replayLaneIdleMs: number;
}

/**
 * What an auditor can do, for the command-line tool and the API alike: export histories, keep the
 * archive, replay against the current code, and read a request's report. Each method takes plain
 * values and returns plain data, so a controller only maps HTTP to it. Errors a caller can cause:
 * HistoryNotFoundError (unknown request or workflow), InvalidHistoryError (a given text is not a
 * history), ReportUnavailableError (no final timeline yet). Replays run in lanes (child processes)
 * that the service keeps between replays; `close` stops them when the process shuts down.
 */
export class AuditService {
  readonly archive: HistoryArchive;
  private readonly histories: HistoryStore;
  private readonly dataConverter: DataConverter;
  private readonly codec: PayloadCodec;
  /** Started by the first replay that needs them, not before. */
  private readonly lanes: ReplayLanePool;

  constructor(private readonly deps: AuditDependencies) {
    this.archive = new HistoryArchive(deps.dataSource);
    this.lanes = new ReplayLanePool({
      workflowBundlePath: deps.workflowBundlePath, payloadKeys: deps.payloadKeys, lanes: deps.replayConcurrency, idleMs: deps.replayLaneIdleMs,
    });
    this.histories = new HistoryStore(deps.client, this.archive);
    this.dataConverter = payloadDataConverter(deps.payloadKeys);
    this.codec = this.dataConverter.payloadCodecs![0];
  }

  /**
   * The request's history and its hosts', in Temporal's proto3-JSON, from the archive or the server.
   * Payloads stay sealed as the server holds them unless `decrypt` asks to open them.
   */
  async exportRequest(requestId: string, { decrypt = false } = {}): Promise<WorkflowHistory[]> {
    const histories = await this.histories.loadRequest(requestId);
    return decrypt ? Promise.all(histories.map((h) => this.decrypted(h))) : histories;
  }

  async exportWorkflow(workflowId: string, { decrypt = false } = {}): Promise<WorkflowHistory> {
    const history = await this.histories.load(workflowId);
    return decrypt ? this.decrypted(history) : history;
  }

  archiveClosed(): Promise<SweepResult> {
    return archiveClosedRequests(this.deps.client, this.deps.dataSource, this.archive);
  }

  verifyArchive(expectedHead?: string, onChecked?: (checked: number) => void): Promise<ChainVerdict> {
    return this.archive.verify(expectedHead, onChecked);
  }

  /** Replays given histories (e.g. uploaded files) against the current workflow code. */
  replay(histories: Iterable<WorkflowHistory> | AsyncIterable<WorkflowHistory>,
    { inThisProcess = this.deps.replayConcurrency === 1 } = {}): Promise<ReplayVerdict[]> {
    const { workflowBundlePath, payloadKeys } = this.deps;
    return inThisProcess ? replayHistories(histories, { workflowBundlePath, payloadKeys, concurrency: 1 }) : replayInLanes(histories, this.lanes);
  }

  /** One request's few histories replay in this process: starting a lane costs more than they do. */
  replayRequest(requestId: string): Promise<ReplayVerdict[]> {
    return this.exportRequest(requestId).then((histories) => this.replay(histories, { inThisProcess: true }));
  }

  /** Replays the whole archive; `onRead` hears how many histories were handed to the replayer. */
  replayArchive(onRead: (read: number) => void = () => undefined): Promise<ReplayVerdict[]> {
    const archive = this.archive;
    return this.replay((async function* () {
      let read = 0;
      for await (const history of archive.all()) {
        yield history;
        onRead(++read);
      }
    })());
  }

  /** Replays every request not archived yet (open ones above all): the runs a deploy would resume. */
  async replayUnarchived(): Promise<ReplayVerdict[]> {
    const rows: Array<{ request_id: string }> = await this.deps.dataSource.query(
      `SELECT u.request_id FROM update_requests u
       WHERE NOT EXISTS (SELECT 1 FROM archived_histories a WHERE a.workflow_id = u.workflow_id)
       ORDER BY u.submitted_at`);
    const histories = this.histories;
    return this.replay((async function* () {
      for (const { request_id: requestId } of rows) yield* await histories.loadRequest(requestId);
    })());
  }

  report(requestId: string): Promise<AuditReport> {
    return this.exportRequest(requestId).then((histories) => buildAuditReport(requestId, histories, this.dataConverter, this.deps.dataSource));
  }

  async reportHtml(requestId: string): Promise<string> {
    return renderAuditReportHtml(await this.report(requestId));
  }

  /** Stops the replay lanes; a replay still running fails. */
  close(): Promise<void> {
    return this.lanes.close();
  }

  private async decrypted(history: WorkflowHistory): Promise<WorkflowHistory> {
    return { ...history, json: await decryptHistoryJson(history.json, this.codec) };
  }
}
