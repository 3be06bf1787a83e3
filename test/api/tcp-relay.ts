import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP relay to a real server that a test can cut, so that a dependency becomes unreachable for
 * one client while everyone else (the worker, other tests) keeps using it.
 */
export class TcpRelay {
  private readonly sockets = new Set<Socket>();
  private server?: Server;

  constructor(private readonly host: string, private readonly port: number) {}

  async open(): Promise<number> {
    this.server = createServer((client) => {
      const upstream = connect(this.port, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Closes the port and drops every connection through it. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
    this.server = undefined;
  }
}
