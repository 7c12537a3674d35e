import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets } from '@spine/datasets';
import { describeTransition, namedAlert, WebhookSink } from '../src/alert-sinks.ts';

const otcDataset = datasets.get('otc');
const regshoDataset = datasets.get('regsho');

const received: unknown[] = [];
let failuresToSend = 0;
let status = 500;
let requests = 0;
const server = createServer((req, res) => {
  requests += 1;
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    if (failuresToSend > 0) {
      failuresToSend -= 1;
      return void res.writeHead(status).end();
    }
    received.push(JSON.parse(body));
    res.writeHead(200).end('ok');
  });
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const alert = namedAlert(otcDataset, { change: 'opened' as const, tier: 'OTC', venue_type: 'NON_ATS', week_ending: '2025-11-28', severity: 'WARN' as const, lag_hours: 30, expected_at: '2025-12-29T14:00:00.000Z', published: false });

describe('Slack-compatible webhook sink', () => {
  it('retries a 500 and delivers once, with a text field', async () => {
    received.length = 0;
    failuresToSend = 2;
    status = 500;
    await new WebhookSink(url, { minTimeoutMs: 10 }).send(alert);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ text: '[WARN] opened: FINRA OTC OTC NON_ATS week ending 2025-11-28: 30 h late (expected 2025-12-29T14:00:00.000Z); FINRA has not published it yet', alert });
  });

  it('names a daily dataset\'s partition in its own words: its facility and trade date, no implicit key', () => {
    const late = namedAlert(regshoDataset, { change: 'escalated' as const, tier: 'Q', venue_type: '-', week_ending: '2025-01-10', severity: 'CRITICAL' as const, lag_hours: 170, expected_at: '2025-01-10T23:00:00.000Z' });
    expect(describeTransition(late)).toBe('[CRITICAL] escalated: FINRA Reg SHO Q trade date 2025-01-10: 170 h late (expected 2025-01-10T23:00:00.000Z)');
    expect(late).toMatchObject({ dataset: 'regsho', publisher: 'FINRA' });
  });

  it('retries a 429 (Slack\'s rate limit) and delivers once', async () => {
    received.length = 0;
    requests = 0;
    failuresToSend = 2;
    status = 429;
    await new WebhookSink(url, { minTimeoutMs: 10 }).send(alert);
    expect(requests).toBe(3);
    expect(received).toHaveLength(1);
  });

  it('gives up on a 429 that lasts past its retries, saying so', async () => {
    received.length = 0;
    requests = 0;
    failuresToSend = 10;
    status = 429;
    await expect(new WebhookSink(url, { minTimeoutMs: 10, retries: 2 }).send(alert)).rejects.toThrow(/answered HTTP 429/);
    expect(requests).toBe(3);
    expect(received).toHaveLength(0);
    failuresToSend = 0;
  });

  it('does not retry a 400 and says why it failed', async () => {
    received.length = 0;
    failuresToSend = 1;
    status = 400;
    await expect(new WebhookSink(url, { minTimeoutMs: 10 }).send(alert)).rejects.toThrow(/answered HTTP 400/);
    expect(received).toHaveLength(0);
    failuresToSend = 0;
  });
});
