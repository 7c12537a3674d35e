import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response, Router } from 'express';

export const BOARD_PATH = '/queues';

function board(queues: Queue[], readOnlyMode: boolean): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode, allowRetries: !readOnlyMode })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: readOnlyMode ? 'Market Spine (read-only)' : 'Market Spine' } },
  });
  return adapter.getRouter() as Router;
}

/**
 * Bull Board for every queue, twice: a full board for admins and a read-only one for viewers (its write routes
 * answer 405), chosen per request by the signed-in role.
 */
export function bullBoards(queues: Queue[]): (req: Request, res: Response, next: NextFunction) => void {
  const admin = board(queues, false);
  const viewer = board(queues, true);
  return (req, res, next) => (req.role === 'admin' ? admin : viewer)(req, res, next);
}
