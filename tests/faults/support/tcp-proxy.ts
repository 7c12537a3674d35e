import net from 'node:net';

export type ProxyMode = 'pass' | 'down' | 'hang';

/**
 * A TCP proxy in front of a server (s3rver) that a test can switch: `pass` forwards, `down` refuses new connections
 * and cuts open ones (the endpoint is gone), `hang` accepts and holds connections but moves no bytes either way (a
 * read that hangs: the client sees neither data nor an error until its own timeout). Switching back to `pass`
 * resumes held connections where they stopped.
 */
export class TcpProxy {
  private server?: net.Server;
  private mode: ProxyMode = 'pass';
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  port = 0;
  /** Connections accepted while hanging: how a test knows the hang was actually hit. */
  heldConnections = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(port = 0): Promise<void> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  setMode(mode: ProxyMode): void {
    this.mode = mode;
    if (mode === 'down') {
      for (const { client, upstream } of this.pairs) {
        client.destroy();
        upstream.destroy();
      }
      this.pairs.clear();
    }
    if (mode === 'hang') {
      for (const { client, upstream } of this.pairs) {
        client.pause();
        upstream.pause();
      }
    }
    if (mode === 'pass') {
      for (const { client, upstream } of this.pairs) {
        client.resume();
        upstream.resume();
      }
    }
  }

  private accept(client: net.Socket): void {
    // A refused connection: with the listener kept open (so the port stays ours), a reset is what a client of a
    // stopped server gets.
    if (this.mode === 'down') return void client.resetAndDestroy();
    const upstream = net.connect(this.target);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    // Bytes move only in pass mode; paused sockets buffer nothing past the kernel's window, so a held request
    // neither completes nor errors.
    client.on('data', (chunk) => {
      if (!upstream.write(chunk)) client.pause();
      if (this.mode === 'hang') client.pause();
    });
    upstream.on('data', (chunk) => {
      if (!client.write(chunk)) upstream.pause();
      if (this.mode === 'hang') upstream.pause();
    });
    client.on('drain', () => this.mode === 'pass' && upstream.resume());
    upstream.on('drain', () => this.mode === 'pass' && client.resume());
    if (this.mode === 'hang') {
      this.heldConnections++;
      client.pause();
      upstream.pause();
    }
  }

  async close(): Promise<void> {
    this.setMode('down');
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
