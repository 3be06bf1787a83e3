/**
 * A replay lane: a child process that replay-lanes.ts forks to replay histories on a core of its
 * own. It is told the workflow bundle and the payload keys once, then replays the batches it is
 * handed, in order, through one ReplaySession, and answers each batch's outcomes. When the parent
 * disconnects (done, or gone) it exits: what it replays lives only in memory.
 */
import { createLogger, installTemporalRuntime } from '../logging';
import { payloadDataConverter } from '../payload-codec';
import type { LaneAnswer, LaneRequest } from './replay-lanes';
import { ReplaySession } from './replay-session';

// Only the SDK's warnings, as the audit command shows them.
installTemporalRuntime(createLogger('replay-lane', 'warn'), 'WARN');

let session: ReplaySession | undefined;
/** Requests are handled one after another, in the order they came. */
let work: Promise<void> = Promise.resolve();

process.on('message', (request: LaneRequest) => {
  work = work.then(() => handle(request)).catch((err: unknown) => {
    process.stderr.write(`replay lane ${process.pid} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
});
process.on('disconnect', () => process.exit(0));

async function handle(request: LaneRequest): Promise<void> {
  if (request.kind === 'start') {
    const keys = new Map(request.payloadKeys.keys.map(([id, key]) => [id, Buffer.from(key, 'base64')]));
    session = new ReplaySession({
      workflowBundlePath: request.workflowBundlePath,
      dataConverter: payloadDataConverter({ activeKeyId: request.payloadKeys.activeKeyId, keys }),
    });
    return;
  }
  if (!session) throw new Error('handed histories before it was started');
  const outcomes = [];
  for (const history of request.histories) outcomes.push(await session.replay(history));
  const answer: LaneAnswer = { kind: 'outcomes', batch: request.batch, outcomes };
  process.send!(answer);
}
