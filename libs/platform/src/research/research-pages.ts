import type { Pool } from '../db/pool.ts';
import { html, type Html } from '../html/html.ts';
import type { DownloadSink, ExportFormat } from './export-files.ts';

/**
 * The dataset-free contract of a dataset's research pages, which the dashboard serves in its layout behind its sign-in
 * (ResearchModule.pages): each route says what it answers; the dashboard does the HTTP (the frame, status codes,
 * headers, streaming).
 */

/** What a page is asked: its path's parameters and its query string, as the server parsed them. */
export interface PageRequest {
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, unknown>>;
}

/** A page's content, which the dashboard frames in its layout. */
export interface ResearchPageContent {
  title: string;
  body: Html;
  /** 200 unless said otherwise (404 for what does not exist). */
  status?: number;
  /** Whether it draws charts (chartFigure of html/chart-spec.ts): the dashboard then loads its chart scripts. */
  charts?: boolean;
}

/** One file a download sends: its name without extension, its format, the table it holds, and what writes its bytes. */
export interface ResearchFile {
  name: string;
  format: ExportFormat;
  table: string;
  /** Writes the file into `sink`, waiting on it between batches; rejects when the client went away or a read failed. */
  write(pool: Pool, sink: DownloadSink): Promise<unknown>;
}

/**
 * One route of a dataset's research pages (an Express path, under /research): a page, framed in the layout (a bad
 * question, an InputError, is a 400 page; any other failure a 500 one); a redirect, a form's target (an InputError is
 * a 400 line of text); or a download (an InputError is a 400 JSON error before anything is sent, then the file streams).
 */
export type ResearchRoute =
  | { kind: 'page'; path: string; build(pool: Pool, request: PageRequest): Promise<ResearchPageContent> }
  | { kind: 'redirect'; path: string; location(request: PageRequest): string }
  | { kind: 'download'; path: string; file(request: PageRequest): ResearchFile };

/** The page for something that does not exist (HTTP 404), with a way back. */
export function notFound(title: string, message: string): ResearchPageContent {
  return { status: 404, title, body: html`<p class="error" id="not-found">${message}</p><p><a href="/coverage">Back to coverage</a></p>` };
}
