import { ApplicationFailure } from '@temporalio/activity';
import type { InventoryStore, InventorySystem, OsFamily } from '../../platform/inventory/inventory-store';
import {
  EVIDENCE_OUTPUT_LIMIT,
  type ActiveUser, type ActiveUsersQuery, type ActiveUsersReport, type CommandEvidence, type TechnicalTestInput, type TechnicalTestReport,
  type UnreachableReport,
} from '../../workflows/host-checks.contract';
import type { SessionProvider } from '../session-provider';
import { fillPlaceholders, remoteInvocation, type CommandCatalogue, type HostCommands } from './command-catalogue';
import { HostUnreachable, SshConnection, type SshSettings } from './ssh-connection';

/** A logged-in host on which each command run is kept as evidence. */
class CheckedHost {
  readonly evidence: CommandEvidence[] = [];

  constructor(private readonly connection: SshConnection, private readonly target: string, private readonly osFamily: OsFamily) {}

  async check(check: string, template: string, values: Record<string, string> = {}): Promise<CommandEvidence & { stdout: string }> {
    const command = fillPlaceholders(template, values, this.osFamily);
    const { exitCode, stdout, stderr } = await this.connection.run(remoteInvocation(command, this.osFamily));
    const full = stderr.trim() ? `${stdout}${stdout.endsWith('\n') || !stdout ? '' : '\n'}[stderr]\n${stderr}` : stdout;
    const evidence = { target: this.target, check, command, exitCode, output: full.slice(0, EVIDENCE_OUTPUT_LIMIT), truncated: full.length > EVIDENCE_OUTPUT_LIMIT };
    this.evidence.push(evidence);
    return { ...evidence, stdout };
  }
}

/**
 * Hosts over SSH (SESSION_PROVIDER=ssh): the inventory says how to reach each target, the command
 * catalogue what to run there for the request's software. Every command becomes evidence. A host
 * that stays unreachable after the connection attempts is reported as such, for the engineer.
 */
export class SshSessionProvider implements SessionProvider {
  readonly checksHosts = true;

  constructor(
    private readonly inventory: InventoryStore,
    private readonly catalogue: CommandCatalogue,
    private readonly ssh: SshSettings,
  ) {}

  async inspectActiveUsers({ requestId, targets, softwareName }: ActiveUsersQuery): Promise<ActiveUsersReport> {
    const software = softwareName ?? await this.softwareOf(requestId);
    const users: ActiveUser[] = [];
    const evidence: CommandEvidence[] = [];
    for (const target of targets) {
      const outcome = await this.onHost(requestId, target, software, evidence, async (host, commands) => {
        const sessions = lines((await host.check('sessions', commands.sessions)).stdout);
        const running = await host.check('processes', commands.processes, { process: commands.processName });
        for (const result of host.evidence) {
          if (result.exitCode !== 0) throw ApplicationFailure.nonRetryable(`the ${result.check} check failed on ${target}`, 'HostCheckFailed', result);
        }
        // Only a user with a session who runs the software has it open: the software's own service
        // account, and a user logged in without it, do not count.
        for (const user of lines(running.stdout)) if (sessions.includes(user)) users.push({ target, user });
      });
      if (outcome) return outcome;
    }
    return { outcome: 'counted', activeUsers: users.length, users, evidence };
  }

  async runTechnicalTest({ requestId, target, softwareName, since }: TechnicalTestInput): Promise<TechnicalTestReport> {
    const sinceMs = Date.parse(since);
    if (Number.isNaN(sinceMs)) throw ApplicationFailure.nonRetryable(`since must be an ISO-8601 instant (got ${JSON.stringify(since)})`, 'InvalidInput');
    const software = softwareName ?? await this.softwareOf(requestId);
    const evidence: CommandEvidence[] = [];
    const failedChecks: string[] = [];
    const unreachable = await this.onHost(requestId, target, software, evidence, async (host, commands) => {
      const results = [await host.check('application', commands.application)];
      for (const service of commands.services) results.push(await host.check(`service:${service}`, commands.service, { service }));
      const log = await host.check('log-errors', commands.logErrors, { since: new Date(sinceMs).toISOString(), sinceEpoch: String(Math.floor(sinceMs / 1000)) });
      failedChecks.push(...results.filter((r) => r.exitCode !== 0).map((r) => r.check));
      if (log.exitCode !== 0 || log.stdout.trim() !== '') failedChecks.push(log.check);
    });
    if (unreachable) return unreachable;
    return { outcome: failedChecks.length === 0 ? 'passed' : 'failed', target, evidence, failedChecks };
  }

  /**
   * Logs in to the target and runs `use`, collecting its evidence; answers the unreachable report
   * when the host never answered, else undefined.
   */
  private async onHost(
    requestId: string, target: string, software: string, evidence: CommandEvidence[],
    use: (host: CheckedHost, commands: HostCommands) => Promise<void>,
  ): Promise<UnreachableReport | undefined> {
    const { ssh } = await this.systemOf(requestId, target);
    const commands = await this.catalogue.commandsFor(software, ssh.osFamily);
    let connection: SshConnection;
    try {
      connection = await SshConnection.open(ssh, this.ssh);
    } catch (err) {
      if (!(err instanceof HostUnreachable)) throw err;
      return { outcome: 'unreachable', target, error: err.lastError, attempts: err.attempts, evidence };
    }
    const host = new CheckedHost(connection, target, ssh.osFamily);
    try {
      await use(host, commands);
    } finally {
      evidence.push(...host.evidence);
      connection.close();
    }
    return undefined;
  }

  private async systemOf(requestId: string, target: string): Promise<Required<Pick<InventorySystem, 'ssh'>>> {
    const system = await this.inventory.systemOfRequest(requestId, target);
    if (!system) throw ApplicationFailure.nonRetryable(`target ${target} of request ${requestId} is not in the inventory`, 'UnknownSystem');
    if (!system.ssh) throw ApplicationFailure.nonRetryable(`the inventory names no SSH address for ${target}`, 'NoSshAddress');
    return { ssh: system.ssh };
  }

  private async softwareOf(requestId: string): Promise<string> {
    const software = await this.inventory.softwareOfRequest(requestId);
    if (!software) throw ApplicationFailure.nonRetryable(`request ${requestId} is not in the read model`, 'UnknownRequest');
    return software;
  }
}

function lines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}
