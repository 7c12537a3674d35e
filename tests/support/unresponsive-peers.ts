import { connect, createServer, type Server, type Socket } from 'node:net';

export interface SilentServer {
  url: string;
  /** Bytes its clients sent: a request is waiting for an answer that never comes. */
  receivedBytes(): number;
  close(): Promise<void>;
}

/** A server that accepts connections and reads requests but never answers: a peer that hangs without refusing. */
export async function startSilentServer(): Promise<SilentServer> {
  let received = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => { received += chunk.length; });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    receivedBytes: () => received,
    close: () => closeAll(server, sockets),
  };
}

export interface BlackholeProxy {
  port: number;
  /** From now on nothing passes in either direction and nothing is reset: a network that drops every packet. */
  blackhole(): void;
  /** Bytes clients sent since blackhole(): a request is stuck in the hole. */
  swallowedBytes(): number;
  close(): Promise<void>;
}

/** A TCP proxy to 127.0.0.1:targetPort that forwards everything until it is told to swallow everything. */
export async function startBlackholeProxy(targetPort: number): Promise<BlackholeProxy> {
  let holed = false;
  let swallowed = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    track(client);
    track(upstream);
    client.on('data', (chunk) => {
      if (holed) swallowed += chunk.length;
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => { if (!holed) client.write(chunk); });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const port = await listen(server);
  return {
    port,
    blackhole: () => { holed = true; },
    swallowedBytes: () => swallowed,
    close: () => closeAll(server, sockets),
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

function closeAll(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}
