import type { NextFunction, Request, Response } from 'express';
import { maskSecrets, type Logger } from '@spine/platform';
import { clientErrorFields } from './request-log-fields.ts';

/**
 * Express's default handler would answer with the error's stack; this one answers briefly. A server error is
 * logged whole (masked); a client's error (4xx: a malformed or oversized body) by its kind and size only, since a
 * body parser's error carries the body as sent, typed password included, and anyone can send one.
 */
export function requestErrorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 500;
    if (status >= 500) logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    else logger.warn({ ...clientErrorFields(error), status, method: req.method, path: req.path }, 'request refused');
    const message = status >= 500 ? 'internal error; see the dashboard log' : maskSecrets((error as Error).message ?? String(error));
    res.status(status).json({ error: message });
  };
}
