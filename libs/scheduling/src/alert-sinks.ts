import pRetry, { AbortError } from 'p-retry';
import { urlOrigin, wireSeriesName, type DatasetDefinition, type Logger } from '@spine/platform';
import type { AlertTransition } from './lag-alerts.ts';
import type { QualityAlert } from './quality-alerts.ts';

/**
 * What the scheduler notifies: a freshness transition (a period late) or a quality alert (a period's data looks
 * wrong), with its dataset and the partition it is about in that dataset's words (alertSubject).
 */
export type Alert = (AlertTransition | QualityAlert) & { dataset: string; publisher: string; subject: string };

/**
 * A transition as the sinks get it: its dataset, its publisher and its partition as alert texts name it ("FINRA OTC
 * NMS_TIER_1 ATS week ending 2025-12-05", "FINRA Reg SHO Q trade date 2025-01-10").
 */
export function namedAlert<T extends AlertTransition | QualityAlert>(dataset: Pick<DatasetDefinition, 'name' | 'publisher' | 'shortTitle' | 'keys' | 'period'>, t: T): T & Alert {
  const subject = `${dataset.publisher} ${dataset.shortTitle} ${wireSeriesName(dataset, t)} ${dataset.period.label.toLowerCase()} ${t.week_ending}`;
  return { ...t, dataset: dataset.name, publisher: dataset.publisher, subject } as T & Alert;
}

export interface AlertSink {
  send(alert: Alert): Promise<void>;
}

export function describeTransition(t: Alert): string {
  if ('check' in t) {
    const what = t.change === 'resolved' ? 'no longer found in the current capture; alert resolved' : t.message;
    return `[${t.severity}] ${t.change}: ${t.subject}: ${t.check}: ${what}`;
  }
  const why = t.published === false ? `; ${t.publisher} has not published it yet` : t.published === true ? `; ${t.publisher} has published it, not loaded here yet` : '';
  const what = t.change === 'resolved' ? 'data arrived; alert resolved' : `${t.lag_hours} h late (expected ${t.expected_at})${why}`;
  return `[${t.severity}] ${t.change}: ${t.subject}: ${what}`;
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
