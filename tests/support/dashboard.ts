import { inject } from 'vitest';
import { parseEnv } from '@spine/platform';
import { dashboardEnvSchema } from '@spine/dashboard/dashboard-env';
import { startDashboard, type DashboardHandle, type DashboardOptions } from '@spine/dashboard';

export const ADMIN = { user: 'admin', password: 'admin-password-1' };
export const VIEWER = { user: 'viewer', password: 'viewer-password-1' };

/**
 * A dashboard in this process on a free port, on the run's database and the machine's Redis, with a queue prefix
 * of its own unless `env` names one (the sign-in counters live under it). It trusts X-Forwarded-For from loopback,
 * so a test signs in from whatever address it names. It asks no source which weeks are published unless given a
 * `publication` provider; it shows this release's datasets unless given others.
 */
export async function startTestDashboard(env: Record<string, string> = {}, options: Pick<DashboardOptions, 'publication' | 'datasets'> = {}): Promise<DashboardHandle> {
  return startDashboard(parseEnv(dashboardEnvSchema, {
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `test-${inject('testRunId')}-${Math.random().toString(36).slice(2, 8)}`,
    LOG_LEVEL: 'silent',
    DASHBOARD_TRUST_PROXY: 'loopback',
    DASHBOARD_ADMIN_PASSWORD: ADMIN.password,
    DASHBOARD_VIEWER_PASSWORD: VIEWER.password,
    ...env,
  }), { port: 0, host: '127.0.0.1', publication: options.publication ?? null, datasets: options.datasets });
}

/** POST /login as a browser's form would, from `ip` (X-Forwarded-For); the cookie is the one to send back. */
export async function formSignIn(url: string, who: { user: string; password: string }, ip = '127.0.0.1'): Promise<{ status: number; retryAfter: number; cookie: string }> {
  const res = await fetch(`${url}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
    body: new URLSearchParams({ user: who.user, password: who.password, next: '/lag' }).toString(),
  });
  await res.arrayBuffer();
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { status: res.status, retryAfter: Number(res.headers.get('retry-after') ?? 0), cookie };
}

/** GET with HTTP basic auth, from `ip`. */
export async function basicGet(url: string, who: { user: string; password: string }, ip = '127.0.0.1', redirect: RequestRedirect = 'follow'): Promise<Response> {
  const authorization = `Basic ${Buffer.from(`${who.user}:${who.password}`).toString('base64')}`;
  return fetch(url, { headers: { authorization, 'x-forwarded-for': ip }, redirect });
}

/** A page read with HTTP basic auth: its status and its HTML. */
export async function basicPage(url: string, who: { user: string; password: string }): Promise<{ status: number; body: string }> {
  const res = await basicGet(url, who);
  return { status: res.status, body: await res.text() };
}
