import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@spine/platform';
import { requestErrorHandler } from '../src/request-error-handler.ts';

const TYPED_PASSWORD = 'typed-password-7Qx';
let log = '';
let server: Server;
let url: string;

beforeAll(async () => {
  const destination = new Writable({ write(chunk, _encoding, done) { log += String(chunk); done(); } });
  const logger = createLogger('info', 'test', { destination, pretty: false });
  const app = express();
  app.use(express.json({ limit: '64kb' }));
  app.post('/login', (_req, res) => void res.sendStatus(204));
  app.get('/broken', () => { throw new Error('the database said no'); });
  app.use(requestErrorHandler(logger));
  server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function logLines(): Record<string, unknown>[] {
  return log.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the dashboard error handler', () => {
  it('logs a malformed sign-in body by the kind of error and its length, never its text', async () => {
    // Cut off after the password: JSON.parse's message would quote the text around the error.
    const body = `{"user":"admin","password":"${TYPED_PASSWORD}"${' '.repeat(60_000)}`;
    log = '';
    const res = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(log).not.toContain(TYPED_PASSWORD);
    expect(log.length).toBeLessThan(1_000);
    expect(logLines()).toEqual([expect.objectContaining({ level: 40, kind: 'entity.parse.failed', bodyLength: body.length, status: 400, method: 'POST', path: '/login' })]);
  });

  it('logs a body over the limit by its kind and declared length', async () => {
    log = '';
    const body = JSON.stringify({ user: 'x'.repeat(70_000) });
    const res = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    expect(log).not.toContain('xxxx');
    expect(logLines()).toEqual([expect.objectContaining({ kind: 'entity.too.large', bodyLength: body.length, status: 413 })]);
  });

  it('logs a server error whole, and answers without its details', async () => {
    log = '';
    const res = await fetch(`${url}/broken`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal error; see the dashboard log' });
    expect(logLines()).toEqual([expect.objectContaining({ level: 50, msg: 'request failed', err: expect.objectContaining({ message: 'the database said no' }) })]);
  });
});
