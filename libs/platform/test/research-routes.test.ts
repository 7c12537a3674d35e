import { describe, expect, it } from 'vitest';
import { html } from '../src/html/html.ts';
import { researchRoutes, type ResearchModule } from '../src/research/research-module.ts';
import type { ResearchRoute } from '../src/research/research-pages.ts';

const page = (path: string): ResearchRoute => ({ kind: 'page', path, build: async () => ({ title: path, body: html`` }) });
const dataset = (name: string, module: Partial<ResearchModule>) => ({ name, research: async () => ({ endpoints: [], ...module }) });

describe('the research pages of the registered datasets', () => {
  it('serves the first dataset\'s at /research when it puts its paths at the root, the others\' under /research/datasets/<name>/', async () => {
    const routes = await researchRoutes([
      dataset('first', { paths: 'root', pages: [page('/research'), page('/research/symbols/:symbol')] }),
      dataset('second', { pages: [page('/research/datasets/second/days/:day')] }),
      dataset('third', {}),
    ]);
    expect(routes.map((r) => r.path)).toEqual(['/research', '/research/symbols/:symbol', '/research/datasets/second/days/:day']);
  });

  it('refuses a page outside its dataset\'s place, a path twice, and the root for any but the first', async () => {
    await expect(researchRoutes([dataset('first', {}), dataset('second', { pages: [page('/research/days')] })]))
      .rejects.toThrow("dataset second's research page /research/days is outside /research/datasets/second/");
    await expect(researchRoutes([dataset('first', { paths: 'root', pages: [page('/research/x'), page('/research/x')] })]))
      .rejects.toThrow('two research pages have the path /research/x');
    await expect(researchRoutes([dataset('first', {}), dataset('second', { paths: 'root', pages: [page('/research')] })]))
      .rejects.toThrow("dataset second puts its paths at the API's root: only the first dataset's are there");
  });
});
