import pRetry, { AbortError } from 'p-retry';
import { urlOrigin, type Logger } from '@spine/platform';
import type { AlertTransition } from './lag-alerts.ts';
import type { QualityAlert } from './quality-alerts.ts';

/** What the scheduler notifies: a freshness transition (a week late) or a quality alert (a week's data looks wrong). */
export type Alert = AlertTransition | QualityAlert;

export interface AlertSink {
  send(alert: Alert): Promise<void>;
}

export function describeTransition(t: Alert): string {
  if ('check' in t) {
    const what = t.change === 'resolved' ? 'no longer found in the week\'s current capture; alert resolved' : t.message;
    return `[${t.severity}] ${t.change}: FINRA OTC ${t.tier} ${t.venue_type} week ending ${t.week_ending}: ${t.check}: ${what}`;
  }
  const why = t.published === false ? '; FINRA has not published it yet' : t.published === true ? '; FINRA has published it, not loaded here yet' : '';
  const what = t.change === 'resolved' ? 'data arrived; alert resolved' : `${t.lag_hours} h late (expected ${t.expected_at})${why}`;
  return `[${t.severity}] ${t.change}: FINRA OTC ${t.tier} ${t.venue_type} week ending ${t.week_ending}: ${what}`;
}

export class LogSink implements AlertSink {
  constructor(private readonly logger: Logger) {}
  async send(t: Alert): Promise<void> {
    this.logger[t.change === 'resolved' ? 'info' : t.severity === 'CRITICAL' ? 'error' : 'warn']({ alert: t }, describeTransition(t));
  }
}

/**
 * A Slack-compatible incoming webhook (`{"text": ...}` plus the structured transition). p-retry retries 5xx, 429 and
 * network failures with exponential backoff; after the last attempt the error propagates to the caller, which logs it.
 */
export class WebhookSink implements AlertSink {
  constructor(
    private readonly url: string,
    private readonly options: { retries?: number; minTimeoutMs?: number; timeoutMs?: number } = {},
  ) {}

  async send(t: Alert): Promise<void> {
    const body = JSON.stringify({ text: describeTransition(t), alert: t });
    await pRetry(
      async () => {
        const res = await fetch(this.url, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        if (res.ok) return;
        // Only the origin: an incoming webhook's path is its secret.
        const error = new Error(`alert webhook at ${urlOrigin(this.url)} answered HTTP ${res.status}`);
        throw res.status >= 500 || res.status === 429 ? error : new AbortError(error);
      },
      { retries: this.options.retries ?? 3, minTimeout: this.options.minTimeoutMs ?? 500, factor: 2 },
    );
  }
}
