import { isIP } from 'node:net';
import * as z from 'zod';
import { secretEnv } from '@spine/platform/config';
import { finraEnvShape } from '@spine/finra-source/finra-env';
import { orchestrationEnvSchema } from '@spine/orchestration/orchestration-env';

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Express's "trust proxy": false (the default: the client is the TCP peer), true (trust every proxy), a number of
 * hops, or addresses, CIDR ranges and the names loopback, linklocal, uniquelocal, comma-separated.
 */
const trustProxy = z.string().default('false').transform((value, ctx): boolean | number | string[] => {
  const text = value.trim().toLowerCase();
  if (text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  const items = text.split(',').map((s) => s.trim());
  const bad = items.filter((s) => !PROXY_NAMES.has(s) && !isIP(s.replace(/\/\d{1,3}$/, '')));
  if (bad.length === 0) return items;
  ctx.addIssue({ code: 'custom', message: 'false, true, a hop count, or addresses/CIDR ranges/loopback/linklocal/uniquelocal, comma-separated' });
  return z.NEVER;
});

/** The dashboard's own variables: where it listens, its users and sessions, sign-in throttling and the research API's rate. */
export const dashboardEnvShape = {
  DASHBOARD_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DASHBOARD_HOST: z.string().min(1).default('0.0.0.0'),
  DASHBOARD_ADMIN_PASSWORD: secretEnv(z.string().min(8, 'at least 8 characters').optional()),
  DASHBOARD_VIEWER_PASSWORD: secretEnv(z.string().min(8, 'at least 8 characters').optional()),
  DASHBOARD_SESSION_SECRET: secretEnv(z.string().min(16, 'at least 16 characters').optional()),
  DASHBOARD_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  DASHBOARD_TRUST_PROXY: trustProxy,
  // Failed sign-ins before 429: per user name from one client (address, or IPv6 /64), and per client for any name.
  DASHBOARD_LOGIN_FAILURES_PER_USER_IP: z.coerce.number().int().min(1).default(10),
  DASHBOARD_LOGIN_FAILURES_PER_IP: z.coerce.number().int().min(1).default(30),
  // Failed sign-ins per user name from anywhere before each sign-in as that user waits (0.25 s, doubling, up to the
  // cap); never a refusal, which anyone with enough addresses could use to keep the user locked out.
  DASHBOARD_LOGIN_FAILURES_PER_USER: z.coerce.number().int().min(1).default(10),
  DASHBOARD_LOGIN_SLOWDOWN_MAX_SECONDS: z.coerce.number().min(0).max(60).default(4),
  DASHBOARD_LOGIN_THROTTLE_MINUTES: z.coerce.number().positive().default(15),
  // Requests per minute one read-only API token may make to /api/v1 (429 with Retry-After past it).
  RESEARCH_API_TOKEN_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(600),
};

/** What the dashboard reads: the shared variables, the queues' (backfills, Bull Board), FINRA's (publication checks) and its own. */
export const dashboardEnvSchema = orchestrationEnvSchema.extend({ ...finraEnvShape, ...dashboardEnvShape });
export type DashboardEnv = z.output<typeof dashboardEnvSchema>;
