import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { QueueAdapterOptions } from '@bull-board/api/typings/app';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response, Router } from 'express';

export const BOARD_PATH = '/queues';

/** Dates with their day and time zone, in 24 hours: a bare "8:10:55 PM" says neither. */
const WHEN: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' };

/** The system's own fonts: the board's page asks Google Fonts for IBM Plex, which fails offline and leaks who looks. */
const SYSTEM_FONTS = { 'font-sans': 'system-ui, -apple-system, "Segoe UI", sans-serif', 'font-mono': 'ui-monospace, "SFMono-Regular", Menlo, monospace' };

const WEB_FONT_LINK = /<link[^>]*href="https:\/\/fonts\.googleapis\.com\/[^"]*"[^>]*>\s*/g;

/** Outside the board's React root, so it stays on every view of the board: the way back (also in its user menu). */
const BACK_LINK = '<a id="spine-dashboard-link" href="/coverage" style="position:fixed;left:16px;bottom:40px;z-index:1000;' +
  'font:13px system-ui,sans-serif;color:#1c7ed6;text-decoration:none">&larr; Back to the dashboard</a>';

/** What the board says about each queue and its jobs beyond BullMQ's own: a description, and a job's page on the dashboard. */
export interface BoardLabels {
  description(queue: Queue): string;
  externalJobUrl: NonNullable<QueueAdapterOptions['externalJobUrl']>;
}

function board(queues: Queue[], readOnlyMode: boolean, labels: BoardLabels): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode, allowRetries: !readOnlyMode, description: labels.description(q), externalJobUrl: labels.externalJobUrl })),
    serverAdapter: adapter,
    options: {
      uiConfig: {
        boardTitle: readOnlyMode ? 'Market Spine (read-only)' : 'Market Spine',
        miscLinks: [{ text: 'Back to the dashboard', url: '/coverage' }],
        dateFormats: { short: WHEN, common: WHEN, full: WHEN },
        theme: { light: SYSTEM_FONTS, dark: SYSTEM_FONTS },
      },
    },
  });
  return adapter.getRouter() as Router;
}

/**
 * The board's page without its web-font stylesheet (the bundle's template links it unconditionally) and with a link
 * back: the page is rendered through Express's res.render, whose callback form hands over the HTML before it is sent.
 */
function withoutWebFonts(res: Response, next: NextFunction): void {
  const render = res.render.bind(res);
  res.render = ((view: string, options?: object) => render(view, options ?? {}, (error: Error | null, page: string) => {
    if (error) return next(error);
    res.type('html').send(page.replace(WEB_FONT_LINK, '').replace('</body>', `${BACK_LINK}</body>`));
  })) as Response['render'];
}

/**
 * Bull Board for every queue, twice: a full board for admins and a read-only one for viewers (its write routes
 * answer 405), chosen per request by the signed-in role.
 */
export function bullBoards(queues: Queue[], labels: BoardLabels): (req: Request, res: Response, next: NextFunction) => void {
  const admin = board(queues, false, labels);
  const viewer = board(queues, true, labels);
  return (req, res, next) => {
    withoutWebFonts(res, next);
    (req.role === 'admin' ? admin : viewer)(req, res, next);
  };
}
