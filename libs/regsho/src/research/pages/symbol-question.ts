import type { PageRequest } from '@spine/platform/research/research-pages';

/** What a symbol's question takes beside the symbol: its range and point in time (symbolDailyQuery). */
const PARAMS = ['from', 'to', 'as_of_published'] as const;

/**
 * The symbol question's parameters a request gave, as strings (a repeated one is the schema's to refuse), empty ones
 * (a form's blank field) left out: what the page, its download and the form's redirect pass on.
 */
export function symbolQuestion(query: PageRequest['query']): Record<string, string> {
  const asked: Record<string, string> = {};
  for (const name of PARAMS) {
    const value = query[name];
    if (value !== undefined && value !== '') asked[name] = String(value);
  }
  return asked;
}
