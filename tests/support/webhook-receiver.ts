import { createServer } from 'node:http';
import type { Alert } from '@spine/scheduling';

/** What the scheduler's WebhookSink posts: Slack's `text` and the alert itself. */
export interface WebhookPost {
  text: string;
  alert: Alert;
}

export interface WebhookReceiver {
  url: string;
  /** Every post so far, in arrival order; empty it between tests. */
  received: WebhookPost[];
  close(): Promise<void>;
}

/** A local stand-in for a Slack incoming webhook that answers 200 and keeps each post. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: WebhookPost[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/slack`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
