import { createHash } from 'node:crypto';
import * as z from 'zod';
import { InputError } from '../errors.ts';

/** Where a page ended: the sort key of its last row. */
export type PageKey = readonly (string | number)[];

const tokenSchema = z.object({ q: z.string(), k: z.array(z.union([z.string(), z.number()])) });

/**
 * Opaque cursors: a token holds the sort key of the last row served and a digest of the question it belongs to, so
 * the next page starts after that row (keyset, not offset: rows loaded meanwhile neither repeat nor go missing) and a
 * token presented with other parameters is refused rather than answering a different question.
 */
export class PageCursor {
  readonly #question: string;
  readonly after: PageKey | undefined;

  /** `question` identifies the question whatever its page: everything but page_token and page_size. */
  constructor(question: unknown, token: string | undefined) {
    this.#question = createHash('sha256').update(JSON.stringify(question)).digest('base64url').slice(0, 16);
    this.after = token === undefined ? undefined : this.#decode(token);
  }

  #decode(token: string): PageKey {
    let parsed: z.infer<typeof tokenSchema> | undefined;
    try {
      parsed = tokenSchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    } catch {
      throw new InputError('page_token: not a token this API issued');
    }
    if (parsed.q !== this.#question) throw new InputError('page_token: the token belongs to a question with other parameters');
    return parsed.k;
  }

  /** The token of the page after the one ending with `last`. */
  next(last: PageKey): string {
    return Buffer.from(JSON.stringify({ q: this.#question, k: last })).toString('base64url');
  }
}

/** Rows fetched one past the page size: the page, and the next token when there is more. */
export function pageOf<Row>(rows: Row[], pageSize: number, cursor: PageCursor, keyOf: (row: Row) => PageKey): { rows: Row[]; next_page_token: string | null } {
  if (rows.length <= pageSize) return { rows, next_page_token: null };
  const page = rows.slice(0, pageSize);
  return { rows: page, next_page_token: cursor.next(keyOf(page[page.length - 1]!)) };
}

/** Whether `key` sorts after the cursor's key (element-wise, as SQL's row comparison does). */
export function isAfter(key: PageKey, after: PageKey | undefined): boolean {
  if (!after) return true;
  for (let i = 0; i < key.length; i++) {
    const a = key[i]!;
    const b = after[i];
    if (b === undefined || a > b) return true;
    if (a < b) return false;
  }
  return false;
}

/** The cursor of a question: every parameter but the page's own identifies it. */
export function cursorFor(name: string, args: Record<string, unknown>, query: { page_token?: string; page_size?: number }): PageCursor {
  const { page_token: token, page_size: _size, ...question } = { ...query, ...args };
  return new PageCursor({ name, ...question }, token);
}

export const MAX_PAGE_SIZE = 1000;

/** The paging parameters of a question that pages (a zod shape to spread into its query schema). */
export const pageShape = {
  page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(100).meta({ description: `Rows per page, 1 to ${MAX_PAGE_SIZE}` }),
  page_token: z.string().max(2048).optional().meta({ description: 'The next_page_token of the previous page; the other parameters must stay the same' }),
};
