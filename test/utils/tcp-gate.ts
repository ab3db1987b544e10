import { createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A loopback port that refuses service (closes every connection) until `open()`, then forwards to
 * `target`: a dependency that is down when the app starts and comes back later. `shut()` takes it
 * down again mid-run: live connections drop and new ones are refused. `hang()` makes it a dependency
 * that accepts connections and reads every request but never answers (live connections included).
 */
export class TcpGate {
  private opened = false;
  private hanging = false;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  port = 0;

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<TcpGate> {
    const gate = new TcpGate(target);
    gate.port = await new Promise<number>((resolve, reject) => {
      gate.server.once('error', reject);
      gate.server.listen(0, '127.0.0.1', () => resolve((gate.server.address() as { port: number }).port));
    });
    return gate;
  }

  open(): void {
    this.opened = true;
    this.hanging = false;
  }

  hang(): void {
    this.hanging = true;
  }

  shut(): void {
    this.opened = false;
    this.hanging = false;
    this.sockets.forEach((s) => s.destroy());
  }

  async close(): Promise<void> {
    this.sockets.forEach((s) => s.destroy());
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.hanging) return void client.resume();
    if (!this.opened) return void client.destroy();
    const upstream = this.track(createConnection(this.target));
    // Byte by byte rather than pipe(), so that hang() can swallow traffic on live connections too.
    client.on('data', (chunk) => void (this.hanging || upstream.write(chunk)));
    upstream.on('data', (chunk) => void (this.hanging || client.write(chunk)));
    client.once('end', () => upstream.end());
    upstream.once('end', () => client.end());
    client.once('error', () => upstream.destroy());
    upstream.once('error', () => client.destroy());
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }
}
