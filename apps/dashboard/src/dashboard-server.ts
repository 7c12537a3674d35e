import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import cookieSession from 'cookie-session';
import { Queue } from 'bullmq';
import { createLogger, createPool, type Env } from '@spine/platform';
import { createRedis, openQueues, QUEUES } from '@spine/orchestration';
import { authenticate, checkPassword, type Credentials } from './auth.ts';
import { csrfProtection } from './csrf.ts';
import { bullBoards, BOARD_PATH } from './bull-boards.ts';
import { loginPage } from './html.ts';
import { apiRouter } from './api.ts';
import { pagesRouter } from './pages.ts';
import { dashboardMetrics } from './dashboard-metrics.ts';
import type { DashboardDeps } from './deps.ts';

export interface DashboardHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The dashboard (Express): /livez, /readyz, /metrics anonymous; everything else (Bull Board, the operations views,
 * the JSON API) behind basic auth or the login page, with CSRF checks on every state-changing request.
 */
export async function startDashboard(env: Env, options: { port?: number; host?: string } = {}): Promise<DashboardHandle> {
  if (!env.DASHBOARD_ADMIN_PASSWORD) throw new Error('DASHBOARD_ADMIN_PASSWORD is not set: the dashboard will not start without a login');
  const logger = createLogger(env.LOG_LEVEL, 'dashboard');
  const credentials: Credentials = { admin: env.DASHBOARD_ADMIN_PASSWORD, viewer: env.DASHBOARD_VIEWER_PASSWORD };
  // Without a configured secret, sessions are signed with a per-process key: they end when the process restarts.
  const sessionSecret = env.DASHBOARD_SESSION_SECRET ?? randomBytes(32).toString('hex');
  const pool = createPool(env.DATABASE_URL, 6);
  const queues = openQueues(env, pool);
  const boardConnection = createRedis(env.REDIS_URL);
  const boardQueues = Object.values(QUEUES).map((name) => new Queue(name, { connection: boardConnection, prefix: env.QUEUE_PREFIX }));
  const deps: DashboardDeps = { env, pool, queues, sessionSecret };
  const metrics = dashboardMetrics(boardQueues, pool);

  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin' });
    const started = performance.now();
    res.on('finish', () => logger.debug({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started), role: req.role }, 'request'));
    next();
  });
  app.get('/livez', (_req, res) => res.type('text').send('ok\n'));
  app.get('/readyz', async (_req, res) => {
    try {
      await pool.query('SELECT 1');
      await boardConnection.ping();
      res.type('text').send('ready\n');
    } catch (error) {
      res.status(503).type('text').send(`not ready: ${(error as Error).message}\n`);
    }
  });
  app.get('/metrics', async (_req, res) => {
    try {
      res.type(metrics.contentType).send(await metrics.metrics());
    } catch (error) {
      logger.error({ err: (error as Error).message }, 'metrics collection failed');
      res.status(500).type('text').send(`metrics collection failed: ${(error as Error).message}\n`);
    }
  });

  app.use(cookieSession({ name: 'spine_session', secret: sessionSecret, httpOnly: true, sameSite: 'lax', maxAge: 12 * 3600 * 1000 }));
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use(express.json({ limit: '64kb' }));
  app.get('/login', (req, res) => res.type('html').send(loginPage(typeof req.query.next === 'string' ? req.query.next : '/')));
  app.post('/login', (req, res) => {
    const { user, password, next } = req.body as Record<string, string | undefined>;
    const role = user && password ? checkPassword(credentials, user, password) : undefined;
    const target = typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
    if (!role) {
      logger.warn({ user }, 'failed sign-in');
      return void res.status(401).type('html').send(loginPage(target, 'Unknown user or wrong password.'));
    }
    req.session = { role, nonce: randomBytes(16).toString('hex') };
    logger.info({ user }, 'signed in');
    res.redirect(303, target);
  });

  app.use(authenticate(credentials));
  app.use(csrfProtection(sessionSecret));
  app.post('/logout', (req, res) => {
    req.session = null;
    res.redirect(303, '/login');
  });
  app.use(BOARD_PATH, bullBoards(boardQueues));
  app.use('/api', apiRouter(deps));
  app.use(pagesRouter(deps));

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? env.DASHBOARD_PORT, options.host ?? env.DASHBOARD_HOST, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ url, queues: Object.values(QUEUES), viewer: !!credentials.viewer }, 'dashboard started');
  return {
    url, port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(boardQueues.map((q) => q.close()));
      await boardConnection.quit();
      await queues.close();
      await pool.end();
    },
  };
}
