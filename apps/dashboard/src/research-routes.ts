import { once } from 'node:events';
import { Router, type Request, type Response } from 'express';
import { InputError, maskSecrets, type Logger } from '@spine/platform';
import type { DownloadSink } from '@spine/platform/research/export-files';
import type { ResearchLanding } from '@spine/platform/research/research-module';
import type { PageRequest, ResearchFile, ResearchRoute } from '@spine/platform/research/research-pages';
import { html, type Html } from './html.ts';
import { page } from './page.ts';
import type { ResearchDeps } from './research-deps.ts';

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', parquet: 'application/vnd.apache.parquet' } as const;

/** What a research route is asked: its path's parameters and the query string. */
const asked = (req: Request): PageRequest => ({ params: req.params as Record<string, string>, query: req.query as Record<string, unknown> });

/** The response as a download's sink: bytes as they are encoded, waiting for the client between batches; a client gone ends the export. */
function responseSink(res: Response): DownloadSink {
  return {
    write: (chunk) => void res.write(chunk),
    async drained() {
      if (res.destroyed) throw new Error('the client went away');
      if (res.writableNeedDrain) await Promise.race([once(res, 'drain'), once(res, 'close').then(() => { throw new Error('the client went away'); })]);
    },
  };
}

/** Every page of the area leads to each dataset's entrance, when more than one dataset has pages. */
function datasetsNav(landings: readonly ResearchLanding[]): Html | string {
  if (landings.length < 2) return '';
  return html`<nav class="pager" id="research-datasets"><span class="note">Research:</span>${landings.map((l) => html`<a href="${l.path}">${l.title}</a>`)}</nav>`;
}

/**
 * The research area: every dataset's research pages (researchRoutes of the registry's datasets) in the dashboard's
 * layout, behind its sign-in, each leading to every dataset's entrance (researchLandings); a page that draws charts
 * gets the chart scripts (chart-assets.ts).
 */
export function researchPages(routes: readonly ResearchRoute[], landings: readonly ResearchLanding[], deps: ResearchDeps, logger: Logger): Router {
  const router = Router();
  const nav = datasetsNav(landings);
  for (const route of routes) {
    if (route.kind === 'page') {
      router.get(route.path, page(deps, async (req) => {
        const { charts, body, ...content } = await route.build(deps.pool, asked(req));
        const framed = { ...content, body: html`${nav}${body}` };
        return charts ? { ...framed, scripts: deps.chartScripts } : framed;
      }));
    } else if (route.kind === 'redirect') {
      router.get(route.path, (req, res) => {
        let location: string;
        try {
          location = route.location(asked(req));
        } catch (error) {
          if (error instanceof InputError) return void res.status(400).type('text').send(`${error.message}\n`);
          throw error;
        }
        res.redirect(303, location);
      });
    } else {
      router.get(route.path, async (req, res) => {
        let file: ResearchFile;
        try {
          file = route.file(asked(req));
        } catch (error) {
          if (error instanceof InputError) return void res.status(400).json({ error: error.message });
          throw error;
        }
        await sendDownload(file, res);
      });
    }
  }
  return router;

  /**
   * Streams the file: headers first (nothing can be refused once bytes are out), so a failure midway ends the
   * response without its last chunk and the client sees a broken download, never a truncated file passed as whole.
   */
  async function sendDownload(file: ResearchFile, res: Response): Promise<void> {
    res.status(200).type(CONTENT_TYPES[file.format]).set('Content-Disposition', `attachment; filename="${file.name}.${file.format}"`).set('Cache-Control', 'private, no-store');
    try {
      await file.write(deps.pool, responseSink(res));
      res.end();
    } catch (error) {
      logger.error({ err: maskSecrets((error as Error).message), table: file.table }, 'research download failed');
      res.destroy();
    }
  }
}
