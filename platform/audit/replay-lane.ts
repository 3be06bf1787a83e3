/**
 * A replay lane: a child process that replay-lane-process.ts forks to replay histories on a core of
 * its own. It is told the workflow bundle and the payload keys once, then replays the histories it
 * is handed, in order, through one ReplaySession kept open for every replay the pool sends it, and
 * answers each history's outcome. When the parent disconnects (idle, shutting down, or gone) it
 * exits: what it replays lives only in memory.
 */
import { createLogger, installTemporalRuntime } from '../logging';
import { payloadDataConverter } from '../payload-codec';
import type { LaneAnswer, LaneRequest } from './replay-lane-process';
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
  const answer: LaneAnswer = { kind: 'outcome', id: request.id, outcome: await session.replay(request.history) };
  process.send!(answer);
}
