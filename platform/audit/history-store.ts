import { isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { updateRequestWorkflowId } from '../../workflows/update-request.contract';
import type { HistoryArchive } from './history-archive';
import { childWorkflowIds, historyJson, originalRunId, parseHistoryJson, type WorkflowHistory } from './workflow-history';

/** gRPC's NOT_FOUND: what fetching the history of an unknown (or expired) workflow id answers. */
const GRPC_NOT_FOUND = 5;

export class HistoryNotFoundError extends Error {
  constructor(readonly workflowId: string) {
    super(`no history of workflow ${workflowId}: neither Temporal nor the archive has it`);
    this.name = 'HistoryNotFoundError';
  }
}

/**
 * Finds a workflow's history: in the archive once it was archived (the sealed copy is what the
 * audit relies on), else on the Temporal server. After Temporal's retention has dropped a closed
 * run, the archive is the only copy.
 */
export class HistoryStore {
  constructor(
    private readonly client: Client,
    private readonly archive: HistoryArchive,
  ) {}

  async load(workflowId: string): Promise<WorkflowHistory> {
    const archived = await this.archive.read(workflowId);
    if (archived) return archived;
    try {
      const history = await this.client.workflow.getHandle(workflowId).fetchHistory();
      return { workflowId, runId: originalRunId(history), source: 'temporal', json: historyJson(history) };
    } catch (err) {
      const notFound = err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND);
      if (notFound) throw new HistoryNotFoundError(workflowId);
      throw err;
    }
  }

  /** The request's own workflow first, then every host workflow it started, in start order. */
  async loadRequest(requestId: string): Promise<WorkflowHistory[]> {
    const parent = await this.load(updateRequestWorkflowId(requestId));
    const children = childWorkflowIds(parseHistoryJson(parent.json));
    return [parent, ...(await Promise.all(children.map((id) => this.load(id))))];
  }
}
