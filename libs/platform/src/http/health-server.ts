import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/** /livez (the process runs), /readyz (it takes jobs; false while draining), /metrics (Prometheus text). */
export function startHealthServer(port: number, registry: Registry, isReady: () => boolean): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/livez') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    if (path === '/readyz') {
      const ready = isReady();
      return void res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'draining\n');
    }
    if (path === '/metrics') {
      try {
        const body = await registry.metrics();
        return void res.writeHead(200, { 'content-type': registry.contentType }).end(body);
      } catch (error) {
        return void res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(error as Error).message}\n`);
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}
