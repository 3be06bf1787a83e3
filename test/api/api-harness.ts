import { CredentialStore } from '../../api/auth/credential-store';
import { InstalledSoftwareStore } from '../../platform/inventory/installed-software-store';
import { InventoryStore } from '../../platform/inventory/inventory-store';
import { signOffUpdate, updateRequestWorkflowId, type UpdateRequest, type UpdateStatus } from '../../workflows/update-request.contract';
import { startApi, testConfig, type RunningApi } from '../support/api';
import { customerOf, UpdateHarness, type HarnessOptions, type RequestHandle } from '../support/update-harness';
import { agreeSlot, completeAllHosts, passPreChecks } from '../workflows/request-driver';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Caller {
  /** The API key, or undefined for an unauthenticated caller. */
  key?: string;
  name: string;
}

/** The body a customer submits: a harness request without what the API adds itself. */
export type SubmissionBody = Omit<UpdateRequest, 'requestId' | 'customerId' | 'submittedAt'>;

/** One HTTP call to the API at `url` as `caller`; a JSON answer is parsed. */
export async function callApi<T = any>(url: string, caller: Caller | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(caller?.key ? { authorization: `Bearer ${caller.key}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: res.headers, body: (type.includes('json') && text ? JSON.parse(text) : text) as T };
}

/**
 * Starts an archive audit job at the API at `url` and follows it until it has finished (real time:
 * a replay takes seconds); fails the test when the job is refused.
 */
export async function runAuditJob(url: string, auditor: Caller, body: Record<string, string>): Promise<any> {
  const started = await callApi(url, auditor, 'POST', '/audit/jobs', body);
  if (started.status !== 202) throw new Error(`audit job refused: ${started.status} ${JSON.stringify(started.body)}`);
  if (started.headers.get('location') !== `/audit/jobs/${started.body.id}`) throw new Error(`Location ${started.headers.get('location')}`);
  return followAuditJob(url, auditor, started.body.id);
}

export async function followAuditJob(url: string, auditor: Caller, id: string): Promise<any> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = await callApi(url, auditor, 'GET', `/audit/jobs/${id}`);
    if (job.status !== 200) throw new Error(`audit job ${id}: ${job.status}`);
    if (job.body.status !== 'running') return job.body;
    if (Date.now() > deadline) throw new Error(`audit job ${id} did not finish`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The real API, listening on a port of its own, in front of the update harness's time-skipping
 * Temporal server, worker (real activities) and PostgreSQL schema; plus API keys for every role.
 */
export class ApiHarness {

  private constructor(
    readonly h: UpdateHarness,
    readonly api: RunningApi,
    readonly credentials: CredentialStore,
  ) {}

  /** `port`: listen there instead of on a random port. */
  static async start(options: HarnessOptions = {}, env: NodeJS.ProcessEnv = {}, port = 0): Promise<ApiHarness> {
    const h = await UpdateHarness.start(options);
    const api = await startApi(testConfig(h.env, h.db, h.mailbox, { TEMPORAL_TASK_QUEUE: h.taskQueue, ...env }), port);
    return new ApiHarness(h, api, new CredentialStore(h.db.dataSource));
  }

  async stop(): Promise<void> {
    await this.api?.app.close();
    await this.h?.stop();
  }

  get url(): string {
    return this.api.url;
  }

  /** A new customer with one API key. */
  async customer(id: string): Promise<Caller & { customerId: string }> {
    await this.credentials.createCustomer({ id, name: `${id} AG` });
    const { apiKey } = await this.credentials.issue({ role: 'customer', customerId: id, subject: `${id}.it-lead` });
    return { key: apiKey, name: `customer ${id}`, customerId: id };
  }

  async staff(role: 'operator' | 'auditor', subject: string): Promise<Caller> {
    const { apiKey } = await this.credentials.issue({ role, subject });
    return { key: apiKey, name: role };
  }

  call<T = any>(caller: Caller | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return callApi<T>(this.url, caller, method, path, body, headers);
  }

  /**
   * A valid submission wanting its update `daysAhead` days from the test server's now. Its targets
   * are put in the inventory of every customer in the database, as an operator would have, with
   * the software at its `currentVersion` (unless it is a first installation).
   */
  async submission(overrides: Partial<SubmissionBody> = {}, daysAhead = 21): Promise<SubmissionBody> {
    const { requestId: _r, customerId: _c, submittedAt: _s, ...body } = await this.h.request({}, daysAhead);
    const submission = { ...body, ...overrides };
    const inventory = new InventoryStore(this.h.db.dataSource);
    const installed = new InstalledSoftwareStore(this.h.db.dataSource);
    const customers: Array<{ id: string }> = await this.h.db.dataSource.query('SELECT id FROM customers');
    const { software } = submission;
    for (const { id: customerId } of customers) {
      for (const { name, kind } of submission.targets ?? []) {
        await inventory.put({ customerId, name });
        if (submission.firstInstallation || ![software?.name, software?.vendor, software?.currentVersion].every((v) => typeof v === 'string')) continue;
        await installed.put({ customerId, system: name, software: software.name, vendor: software.vendor, version: software.currentVersion,
          component: kind === 'client-host' ? 'client' : 'server', updatedBy: 'test-operator' });
      }
    }
    return submission;
  }

  /** Submits as `customer`; fails the test unless the API accepts it. */
  async submit(customer: Caller, overrides: Partial<SubmissionBody> = {}, daysAhead = 21): Promise<{ requestId: string; body: SubmissionBody }> {
    const body = await this.submission(overrides, daysAhead);
    const res = await this.call(customer, 'POST', '/requests', body);
    if (res.status !== 201) throw new Error(`submission refused: ${res.status} ${JSON.stringify(res.body)}`);
    return { requestId: res.body.requestId, body };
  }

  /** Reads the request through the API (real time, a few seconds at most) until `check` accepts it. */
  async until(caller: Caller, requestId: string, check: (detail: any) => boolean, what: string): Promise<any> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await this.call(caller, 'GET', `/requests/${requestId}`);
      if (res.status === 200 && check(res.body)) return res.body;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last answer ${res.status} status ${res.body?.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  untilStatus(caller: Caller, requestId: string, status: UpdateStatus): Promise<any> {
    return this.until(caller, requestId, (d) => d.status === status, `status ${status}`);
  }

  /**
   * Submits one request per entry of `submissions` over HTTP and carries each out through the
   * workflow (slots on one day, pre-checks, installation) until the customer has signed it off, in
   * the order given, an hour apart. Answers the request ids in that order.
   */
  async signedOff(customer: Caller, submissions: Array<Partial<SubmissionBody>>): Promise<string[]> {
    const handles: RequestHandle[] = [];
    for (const overrides of submissions) {
      const { requestId } = await this.submit(customer, overrides);
      const handle: RequestHandle = this.h.env.client.workflow.getHandle(updateRequestWorkflowId(requestId));
      const { request } = await this.h.untilStatus(handle, 'scheduling');
      await agreeSlot(this.h, handle, request);
      await passPreChecks(this.h, handle);
      handles.push(handle);
    }
    const starts = await Promise.all(handles.map(async (handle) => Date.parse((await this.h.state(handle)).slot!.start)));
    await this.h.skipPast(new Date(Math.max(...starts)).toISOString());
    const ids: string[] = [];
    for (const handle of handles) {
      await completeAllHosts(this.h, handle, 1);
      const { request } = await this.h.state(handle);
      await handle.executeUpdate(signOffUpdate, { args: [{ actor: customerOf(request.customerId), notes: 'functional tests green' }] });
      await this.h.untilAudited(request.requestId, 'signed-off');
      ids.push(request.requestId);
      await this.h.skip(3_600_000);
    }
    return ids;
  }
}
