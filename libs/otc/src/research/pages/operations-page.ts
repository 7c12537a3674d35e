import * as z from 'zod';
import type { Pool } from '@spine/platform/db/pool';
import { InputError } from '@spine/platform/errors';
import { chartFigure } from '@spine/platform/html/chart-spec';
import { html } from '@spine/platform/html/html';
import { describeIssues } from '@spine/platform/research/describe-issues';
import type { PageRequest, ResearchPageContent } from '@spine/platform/research/research-pages';
import { stageThroughput } from '@spine/platform/research/stage-throughput';
import { addWeeks } from '@spine/platform/time/week-ending';
import { DOMAIN } from '../../domain.ts';
import { loadLag } from '../load-lag.ts';

const operationsQuery = z.object({
  weeks: z.coerce.number().int().min(1).max(260).default(26),
  days: z.coerce.number().int().min(1).max(90).default(7),
});

/** Up to this many days, throughput is counted per hour; beyond, per day. */
const HOURLY_DAYS = 3;

/**
 * For operators: the load lag of each week's first version over time, a line per tier x venue type (the one dataset,
 * otc), and the queues' throughput over the last days: jobs ended per stage and period, failures apart.
 */
export async function operationsPage(pool: Pool, request: PageRequest): Promise<ResearchPageContent> {
  const query = operationsQuery.safeParse(request.query);
  if (!query.success) throw new InputError(describeIssues(query.error));
  const { weeks, days } = query.data;
  const { rows } = await pool.query<{ newest: string | null }>(`SELECT to_char(max(period_end), 'YYYY-MM-DD') AS newest FROM core_captures WHERE domain = $1`, [DOMAIN]);
  const newest = rows[0]?.newest;
  const lags = newest ? await loadLag(pool, { from: addWeeks(newest, 1 - weeks), to: newest }) : [];
  const until = new Date();
  const period = days <= HOURLY_DAYS ? 'hour' : 'day';
  const throughput = await stageThroughput(pool, { since: new Date(until.getTime() - days * 86_400_000), until, period });

  const lagWeeks = [...new Set(lags.map((l) => l.week_ending))].sort();
  const lagSeries = [...new Set(lags.map((l) => `${l.tier} ${l.venue_type}`))].sort().map((name) => ({
    label: `otc ${name}`, type: 'line' as const,
    data: lagWeeks.map((week) => {
      const lag = lags.find((l) => l.week_ending === week && `${l.tier} ${l.venue_type}` === name);
      return lag ? Math.round((lag.lag_hours / 24) * 10) / 10 : null;
    }),
  }));
  const periods = [...new Set(throughput.map((t) => t.period_start))].sort();
  const stages = [...new Set(throughput.map((t) => t.stage))].sort();
  const countOf = (stage: string, pick: (t: (typeof throughput)[number]) => number) =>
    periods.map((p) => throughput.filter((t) => t.period_start === p && t.stage === stage).reduce((n, t) => n + pick(t), 0));
  const failed = periods.map((p) => throughput.filter((t) => t.period_start === p).reduce((n, t) => n + t.failed, 0));
  const throughputSeries = [
    ...stages.map((stage) => ({ label: `${stage} completed`, stack: 'jobs', data: countOf(stage, (t) => t.completed) })),
    ...(failed.some((n) => n > 0) ? [{ label: 'failed (all stages)', stack: 'failed', data: failed }] : []),
  ];
  const periodLabel = (start: string) => (period === 'hour' ? start.slice(0, 13).replace('T', ' ') + 'h' : start.slice(0, 10));
  return {
    title: 'Load lag and queue throughput',
    charts: true,
    body: html`<p class="note">Lag: days from the day FINRA published a week's first version to the week being served (its snapshot stage completed),
      per dataset x tier x venue type; revisions are left out. Throughput: the jobs the workers ended per ${period} over the last ${days} day(s), by stage
      (UTC). The current lag, and what is missing, is on <a href="/lag">Lag</a>.</p>
      <div class="charts">
      ${lags.length ? chartFigure('chart-lag', `Load lag of the last ${weeks} weeks`, { labels: lagWeeks, series: lagSeries, left: { title: 'days after publication' } })
        : html`<p class="note" id="chart-lag">No week has completed loading yet.</p>`}
      ${throughput.length ? chartFigure('chart-throughput', `Jobs ended per ${period}`, { labels: periods.map(periodLabel), series: throughputSeries, stacked: true, left: { title: 'jobs' } })
        : html`<p class="note" id="chart-throughput">No job ended in the last ${days} day(s).</p>`}
      </div>`,
  };
}
