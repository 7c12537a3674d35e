import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceSpecSchema } from '@spine/finra-source/source-access';
import { maskSecrets, registerSecret } from '@spine/platform';
import { fastestMs } from '../support/fastest-run.ts';

/**
 * Every regular expression in the shipped code (libs, apps, the local stack) against hostile input. A backtracking
 * pattern that rescans a long run from each start position takes time quadratic in the run: a 64 KB sign-in
 * field once held the dashboard's thread for seconds that way. Nested-quantifier checkers (safe-regex and the like)
 * pass such patterns, so this test times each one instead: on 8,000 characters of one or two characters repeated
 * (drawn from the pattern's own text and a few of each character class), after the literal text an anchored
 * pattern starts with, framed by characters that make a match fail. A linear pattern takes a fraction of a
 * millisecond on that; a quadratic one tens of milliseconds or more.
 */

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE_DIRS = [
  ...['libs', 'apps', 'dev'].flatMap((group) => readdirSync(join(REPO, group)).map((name) => join(REPO, group, name, 'src'))),
];
const HOSTILE_CHARS = 8_000;
const BUDGET_MS = 5;
const REPRESENTATIVES = ['a', 'Z', '0', ' ', '\t', '\n', '_', 'é', '\u0001'];
// What comes before and after the repeated run: a character that matches almost nothing stops a match at the end,
// and before the run it keeps a pattern anchored at the start (`^\/+|\/+$`) from taking the run in one match.
const FRAMES = [['', ''], ['', '\u0001'], ['', '\n'], ['\u0001', '\u0001']] as const;

interface Found { where: string; text: string }

function sourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|mts|js|mjs)$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** Regular-expression literals, and the files that build one at run time (new RegExp / RegExp()). */
function findPatterns(): { literals: Found[]; built: Set<string> } {
  const literals: Found[] = [];
  const built = new Set<string>();
  for (const file of SOURCE_DIRS.flatMap(sourceFiles)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node) => `${relative(REPO, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) literals.push({ where: where(node), text: node.getText() });
      if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText() === 'RegExp') built.add(relative(REPO, file));
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { literals, built };
}

/** The literal characters an anchored pattern starts with (`^Bearer (.+)$` -> "Bearer "), to get past its start. */
function literalStart(source: string): string {
  const head = /^\^((?:[A-Za-z0-9 :_,-]|\\[^A-Za-z0-9])*)/.exec(source)?.[1] ?? '';
  return head.replace(/\\(.)/g, '$1');
}

function hostileInputs(alphabet: string, start: string): string[] {
  const chars = [...new Set([...alphabet, ...REPRESENTATIVES])];
  const units = [...chars, ...chars.flatMap((a) => chars.filter((b) => b !== a).map((b) => a + b))];
  return units.flatMap((unit) => FRAMES.map(([before, after]) => start + before + unit.repeat(Math.ceil(HOSTILE_CHARS / unit.length)) + after));
}

/** The hostile inputs that take more than the budget, with their time; empty when the pattern is linear. */
function slowInputs(run: (input: string) => unknown, alphabet: string, start: string): string[] {
  const slow: string[] = [];
  for (const input of hostileInputs(alphabet, start)) {
    const started = performance.now();
    run(input);
    // One slow run can be a pause of the machine; the fastest of three cannot.
    if (performance.now() - started > BUDGET_MS) {
      const ms = fastestMs(() => run(input), { runs: 3 });
      if (ms > BUDGET_MS) slow.push(`${JSON.stringify(input.slice(0, 24))}... (${input.length} characters): ${Math.round(ms)} ms`);
    }
  }
  return slow;
}

const { literals, built } = findPatterns();

describe('regular expressions on hostile input', () => {
  it('finds the patterns to check', () => {
    expect(literals.length).toBeGreaterThan(50);
  });

  for (const { where, text } of literals) {
    it(`${where} ${text} takes time linear in its input`, () => {
      const slash = text.lastIndexOf('/');
      const source = text.slice(1, slash);
      const flags = text.slice(slash + 1);
      // Every match, not only the first: a replace or split goes through the whole input.
      const pattern = new RegExp(source, flags.includes('g') ? flags : `${flags}g`);
      expect(slowInputs((input) => input.replace(pattern, ''), source, literalStart(source))).toEqual([]);
    });
  }

  // Patterns built at run time are checked through the function that builds and uses them.
  const builtPatterns: Record<string, { alphabet: string; start: string; run: (input: string) => unknown }> = {
    'libs/finra-source/src/source-access.ts': { alphabet: 's3:dir/.-a0', start: 's3:', run: (input) => sourceSpecSchema.safeParse(input) },
    'libs/platform/src/secret-masking.ts': {
      alphabet: 'secret-Q:/@', start: '',
      run: (input) => {
        registerSecret('secret-secret-Q');
        return maskSecrets(input);
      },
    },
  };

  it('knows every file that builds a pattern at run time', () => {
    expect([...built].sort()).toEqual(Object.keys(builtPatterns).sort());
  });

  for (const [file, { alphabet, start, run }] of Object.entries(builtPatterns)) {
    it(`${file}: the pattern it builds takes time linear in its input`, () => {
      expect(slowInputs(run, alphabet, start)).toEqual([]);
    });
  }
});
