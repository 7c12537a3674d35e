import net from 'node:net';

export type ProxyMode = 'pass' | 'down' | 'hang' | 'stall-reads';

/** Response bytes a stalled read still receives (its headers and the start of its body) before it goes silent. */
const STALL_AFTER_BYTES = 16 * 1024;

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** Response bytes still let through to a read being stalled; undefined when the connection is not stalled. */
  allowance?: number;
  /** Response bytes held back from a stalled read, forwarded when the mode returns to `pass`. */
  held: Buffer[];
}

/**
 * A TCP proxy in front of a server (s3rver) that a test can switch: `pass` forwards, `down` refuses new connections
 * and cuts open ones (the endpoint is gone), `hang` accepts and holds connections but moves no bytes either way (a
 * read that hangs: the client sees neither data nor an error until its own timeout), `stall-reads` lets every
 * request through but goes silent in the middle of the response body of a whole-object GET (no Range header):
 * the read that hangs after its headers arrived, which only a socket-idle timeout ends (the SDK does not retry
 * it). Switching back to `pass` resumes held connections where they stopped.
 */
export class TcpProxy {
  private server?: net.Server;
  private mode: ProxyMode = 'pass';
  private readonly pairs = new Set<Pair>();
  port = 0;
  /** Connections accepted while hanging, or reads stalled mid-body: how a test knows the hang was actually hit. */
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
      for (const pair of this.pairs) {
        pair.allowance = undefined;
        for (const chunk of pair.held.splice(0)) pair.client.write(chunk);
        pair.client.resume();
        pair.upstream.resume();
      }
    }
  }

  private accept(client: net.Socket): void {
    // A refused connection: with the listener kept open (so the port stays ours), a reset is what a client of a
    // stopped server gets.
    if (this.mode === 'down') return void client.resetAndDestroy();
    const upstream = net.connect(this.target);
    const pair: Pair = { client, upstream, held: [] };
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
    client.on('data', (chunk: Buffer) => {
      // A keep-alive connection carries one request after another: each new request decides afresh.
      if (REQUEST_LINE.test(chunk.toString('latin1', 0, 4096))) pair.allowance = this.mode === 'stall-reads' && isWholeObjectGet(chunk) ? STALL_AFTER_BYTES : undefined;
      if (!upstream.write(chunk)) client.pause();
      if (this.mode === 'hang') client.pause();
    });
    upstream.on('data', (chunk: Buffer) => {
      if (pair.allowance !== undefined) {
        const through = chunk.subarray(0, pair.allowance);
        pair.allowance -= through.length;
        if (through.length) client.write(through);
        if (through.length < chunk.length) {
          if (!pair.held.length) this.heldConnections++;
          pair.held.push(chunk.subarray(through.length));
          upstream.pause();
        }
        return;
      }
      if (!client.write(chunk)) upstream.pause();
      if (this.mode === 'hang') upstream.pause();
    });
    client.on('drain', () => this.mode === 'pass' && pair.allowance === undefined && upstream.resume());
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

const REQUEST_LINE = /^[A-Z]+ \S+ HTTP\/1\.[01]\r\n/;

/** An HTTP request for a whole object: a GET whose headers carry no Range (the ranged GET reads a header line only). */
function isWholeObjectGet(chunk: Buffer): boolean {
  const text = chunk.toString('latin1', 0, Math.min(chunk.length, 4096));
  const headers = text.split('\r\n\r\n')[0] ?? '';
  return headers.startsWith('GET ') && !/\r\nrange:/i.test(headers);
}
