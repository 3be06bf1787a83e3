import type { Logger } from 'pino';
import type { ManagedProcess, ProcessExit } from './processes';

/** Anything the launcher started and must stop: a child process or an in-process server. */
export interface RunningService {
  name: string;
  stop(): Promise<unknown>;
}

/**
 * What the launcher has started, in order. `stopAll` stops it in reverse, so nothing loses a
 * dependency while it is still running. Once stopping has begun, whatever a start still in
 * progress adds is stopped at once, so an interrupted start-up leaves nothing behind.
 */
export class ServiceStack {
  private readonly services: RunningService[] = [];
  private stopping = false;
  private unexpectedExit: (exit: ProcessExit) => void = () => undefined;

  /** Settles with the first process that exits while nobody asked it to. */
  readonly firstUnexpectedExit = new Promise<ProcessExit>((resolve) => { this.unexpectedExit = resolve; });

  constructor(private readonly logger: Logger) {}

  async add(service: RunningService): Promise<void> {
    if (this.stopping) {
      await service.stop();
      throw new Error(`start-up interrupted: stopped ${service.name} again`);
    }
    this.services.push(service);
  }

  async addProcess(process: ManagedProcess): Promise<void> {
    await this.add({ name: process.name, stop: () => process.stop() });
    void process.exited.then((exit) => {
      if (!this.stopping) this.unexpectedExit(exit);
    });
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const service of this.services.splice(0).reverse()) {
      try {
        await service.stop();
        this.logger.info({ service: service.name }, 'stopped');
      } catch (err) {
        this.logger.error({ service: service.name, err }, 'failed to stop');
      }
    }
  }
}
