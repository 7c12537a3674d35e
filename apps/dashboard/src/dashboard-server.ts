import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import cookieSession from 'cookie-session';
import { Queue } from 'bullmq';
import { createLogger, createPool, type DatasetRegistry } from '@spine/platform';
import type { DashboardEnv } from './dashboard-env.ts';
import { createRedis, LegacyQueues, openQueues, QUEUES, sourcePublication } from '@spine/orchestration';
import { publishingSourceCatalog, sourceAllowListFromEnv, sourceCatalog } from '@spine/finra-source';
import { cachedPublication } from '@spine/operations';
import type { PublicationProvider } from '@spine/scheduling';
import { authenticate, checkPassword, clientAddress, type Credentials } from './auth.ts';
import { csrfProtection } from './csrf.ts';
import { LoginThrottle } from './login-throttle.ts';
import { SessionLifetime } from './session-lifetime.ts';
import { sameOriginPath } from './safe-redirect.ts';
import { securityHeaders } from './security-headers.ts';
import { readinessProbe } from './readiness-probe.ts';
import { clientText } from './request-log-fields.ts';
import { requestErrorHandler } from './request-error-handler.ts';
import { bullBoards, BOARD_PATH } from './bull-boards.ts';
import { boardLabels } from './board-labels.ts';
import { CLIENT_SCRIPT_PATH, loginPage } from './html.ts';
import { CLIENT_SCRIPT } from './client-script.ts';
import { FAVICON_PNG } from './favicon.ts';
import { apiRouter } from './api.ts';
import { researchApi } from './research-api.ts';
import { researchEndpoints } from '@spine/research';
import { researchLandings, researchRoutes } from '@spine/platform/research/research-module';
import { activityPages } from './activity-pages.ts';
import { coveragePages } from './coverage-pages.ts';
import { batchPages } from './batch-pages.ts';
import { lagPage } from './lag-page.ts';
import { calculationsPage } from './calculations-page.ts';
import { jobLinks } from './job-links.ts';
import { lineagePage } from './lineage-page.ts';
import { researchPages } from './research-routes.ts';
import { chartAssets } from './chart-assets.ts';
import { notFound, page } from './page.ts';
import { dashboardMetrics } from './dashboard-metrics.ts';
import type { DashboardDeps } from './deps.ts';
import { datasets as releaseDatasets } from '@spine/datasets';

export interface DashboardHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The dashboard (Express): /livez, /readyz, /metrics anonymous; everything else (Bull Board, the operations views,
 * the JSON API) behind basic auth or the login page, with CSRF checks on every state-changing request.
 */
export interface DashboardOptions {
  port?: number;
  host?: string;
  /**
   * Which weeks each schedule's source has published, for "not published" on the coverage and lag pages: by default
   * FINRA's partitions (FINRA_* settings) asked at most every PUBLICATION_CACHE_MS; null to ask no source.
   */
  publication?: PublicationProvider | null;
  /** The datasets it shows: this release's registry unless given (a test's own dataset beside them). */
  datasets?: DatasetRegistry;
}

/** FINRA's partitions change when it publishes, on Mondays: asking every five minutes is more than enough. */
const PUBLICATION_CACHE_MS = 5 * 60_000;

export async function startDashboard(env: DashboardEnv, options: DashboardOptions = {}): Promise<DashboardHandle> {
  if (!env.DASHBOARD_ADMIN_PASSWORD) throw new Error('DASHBOARD_ADMIN_PASSWORD is not set: the dashboard will not start without a login');
  const logger = createLogger(env.LOG_LEVEL, 'dashboard');
  const datasets = options.datasets ?? releaseDatasets;
  const credentials: Credentials = { admin: env.DASHBOARD_ADMIN_PASSWORD, viewer: env.DASHBOARD_VIEWER_PASSWORD };
  // Without a configured secret, sessions are signed with a per-process key: they end when the process restarts.
  const sessionSecret = env.DASHBOARD_SESSION_SECRET ?? randomBytes(32).toString('hex');
  const pool = createPool(env.DATABASE_URL, 6);
  const queues = openQueues(env, pool, datasets);
  const boardConnection = createRedis(env.REDIS_URL);
  const boardQueues = Object.values(QUEUES).map((name) => new Queue(name, { connection: boardConnection, prefix: env.QUEUE_PREFIX }));
  // The queues' earlier names, on the board while an earlier release's jobs are left on them (they can be retried
  // there) from the dashboard's start.
  const legacy = LegacyQueues.open(boardConnection, env.QUEUE_PREFIX);
  const boardedQueues = (await legacy.inUse()) ? [...boardQueues, legacy.fetchQueue, legacy.stageQueue] : boardQueues;
  // Asking the publisher itself (no provider given): its settings are read now, so a bad one stops the start.
  const asksPublisher = options.publication === undefined;
  const sources = asksPublisher ? publishingSourceCatalog(env) : sourceCatalog({ allow: sourceAllowListFromEnv(env) });
  const publication = asksPublisher ? cachedPublication(sourcePublication(datasets, sources), PUBLICATION_CACHE_MS) : options.publication ?? undefined;
  const deps: DashboardDeps = {
    env, pool, queues, sources, sessionSecret, publication,
    onLookupError: (source, error) => logger.warn({ source, err: error.message }, 'could not ask the source which periods it has published'),
  };
  // Their jobs are counted too (spine_queue_jobs: the failed-jobs alert and the backlog panels see them).
  const metrics = dashboardMetrics(boardedQueues, pool, datasets);
  const sessionMaxAgeMs = env.DASHBOARD_SESSION_HOURS * 3600 * 1000;
  const sessions = new SessionLifetime(pool, { maxAgeMs: sessionMaxAgeMs, credentials, secret: sessionSecret });
  const throttle = new LoginThrottle(boardConnection, {
    failuresPerUserIp: env.DASHBOARD_LOGIN_FAILURES_PER_USER_IP, failuresPerIp: env.DASHBOARD_LOGIN_FAILURES_PER_IP,
    failuresPerUser: env.DASHBOARD_LOGIN_FAILURES_PER_USER, slowdownMaxMs: env.DASHBOARD_LOGIN_SLOWDOWN_MAX_SECONDS * 1000,
    windowSeconds: Math.round(env.DASHBOARD_LOGIN_THROTTLE_MINUTES * 60), keyPrefix: env.QUEUE_PREFIX,
  });

  const app = express();
  app.disable('x-powered-by');
  // Decides req.ip (throttling) and req.secure (the Secure cookie attribute) from X-Forwarded-* only for trusted hops.
  app.set('trust proxy', env.DASHBOARD_TRUST_PROXY);
  app.use(securityHeaders());
  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () => logger.debug({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started), role: req.role }, 'request'));
    next();
  });
  app.get('/livez', (_req, res) => res.type('text').send('ok\n'));
  // Anonymous, so the sign-in page has them too.
  app.get('/favicon.ico', (_req, res) => res.type('png').set('Cache-Control', 'public, max-age=86400').send(FAVICON_PNG));
  app.get(CLIENT_SCRIPT_PATH, (_req, res) => res.type('js').set('Cache-Control', 'no-cache').send(CLIENT_SCRIPT));
  const charts = chartAssets();
  app.use(charts.router);
  app.get('/readyz', readinessProbe({ postgres: () => pool.query('SELECT 1'), redis: () => boardConnection.ping() }, logger));
  app.get('/metrics', async (_req, res) => {
    try {
      res.type(metrics.contentType).send(await metrics.metrics());
    } catch (error) {
      logger.error({ err: (error as Error).message }, 'metrics collection failed');
      res.status(500).type('text').send('metrics collection failed; see the dashboard log\n');
    }
  });

  app.use(cookieSession({ name: 'spine_session', secret: sessionSecret, httpOnly: true, sameSite: 'lax', maxAge: sessionMaxAgeMs }));
  app.use((req, _res, next) => {
    // Secure whenever the browser reached us over HTTPS, directly or through a trusted proxy; never otherwise,
    // since a browser would then drop the cookie on plain-HTTP deployments.
    if (req.sessionOptions) req.sessionOptions.secure = req.secure;
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use(express.json({ limit: '64kb' }));
  app.get('/login', (req, res) => res.type('html').send(loginPage(sameOriginPath(req.query.next))));
  app.post('/login', async (req, res) => {
    const { user, password, next } = req.body as Record<string, unknown>;
    const target = sameOriginPath(next);
    const ip = clientAddress(req);
    const name = typeof user === 'string' ? user : '';
    const refuse = (retryAfter: number) => {
      logger.warn({ user: clientText(name), ip: clientText(ip), retryAfter }, 'sign-in throttled');
      res.status(429).set('Retry-After', String(retryAfter)).type('html').send(loginPage(target, `Too many failed sign-ins. Try again in ${retryAfter} s.`));
    };
    const attempt = await throttle.attempt(ip, name);
    if (!attempt.admitted) return refuse(attempt.retryAfter);
    const role = name && typeof password === 'string' && password ? checkPassword(credentials, name, password) : undefined;
    if (!role) {
      logger.warn({ user: clientText(name), ip: clientText(ip) }, 'failed sign-in');
      if (attempt.waitIfWrong) return refuse(attempt.waitIfWrong);
      return void res.status(401).type('html').send(loginPage(target, 'Unknown user or wrong password.'));
    }
    await attempt.succeeded();
    req.session = { ...(await sessions.issue(role)) };
    logger.info({ user: name, ip: clientText(ip) }, 'signed in');
    res.redirect(303, target);
  });

  // Every dataset's questions and research pages, each loaded from its definition at start.
  const endpoints = await researchEndpoints(datasets.list());
  const researchPageRoutes = await researchRoutes(datasets.list());
  app.use('/api/v1', researchApi({ env, pool, logger, redis: boardConnection, signIn: authenticate({ credentials, throttle, sessions, logger }), endpoints }));
  app.use(authenticate({ credentials, throttle, sessions, logger }));
  app.use(csrfProtection(sessionSecret));
  app.post('/logout', async (req, res) => {
    if (req.sessionClaims) await sessions.revoke(req.sessionClaims);
    req.session = null;
    res.redirect(303, '/login');
  });
  app.use(BOARD_PATH, bullBoards(boardedQueues, boardLabels(datasets)));
  app.use('/api', apiRouter(deps));
  app.use(coveragePages(deps));
  app.use(batchPages(deps));
  app.use(lagPage(deps));
  app.use(lineagePage(deps));
  app.use(jobLinks(deps));
  app.use(calculationsPage(deps));
  app.use(activityPages(deps));
  app.use(researchPages(researchPageRoutes, await researchLandings(datasets.list()), { ...deps, chartScripts: charts.scripts }, logger));
  app.use(page(deps, async (req) => notFound('Page not found', `Nothing here at ${req.path}.`)));
  app.use(requestErrorHandler(logger));

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
      await Promise.all([...boardQueues.map((q) => q.close()), legacy.close()]);
      await boardConnection.quit();
      await queues.close();
      await pool.end();
    },
  };
}
