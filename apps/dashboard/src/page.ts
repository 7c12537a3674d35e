import type { Request, Response } from 'express';
import { InputError, maskSecrets } from '@spine/platform';
import { csrfToken } from './csrf.ts';
import { html, layout, type Html } from './html.ts';
import type { DashboardDeps } from './deps.ts';

export interface PageContent {
  title: string;
  body: Html;
  /** 200 unless said otherwise (404 for what does not exist). */
  status?: number;
  /** Scripts of the dashboard's own the page needs besides the page script (the research pages' charts). */
  scripts?: readonly string[];
}

export type PageBuilder = (req: Request) => Promise<PageContent>;

/** A page in the layout; a bad query (InputError) is answered 400 and any other failure 500, on a page of its own. */
export function page(deps: DashboardDeps, build: PageBuilder) {
  return async (req: Request, res: Response) => {
    const csrf = csrfToken(req, deps.sessionSecret);
    try {
      const { title, body, status, scripts } = await build(req);
      res.status(status ?? 200).type('html').send(layout(title, req.role!, csrf, body, scripts));
    } catch (error) {
      res.status(error instanceof InputError ? 400 : 500).type('html').send(layout('Error', req.role!, csrf, html`<p class="error">${maskSecrets((error as Error).message)}</p>`));
    }
  };
}

// One 404 page for the dashboard's pages and a dataset's research pages.
export { notFound } from '@spine/platform/research/research-pages';
