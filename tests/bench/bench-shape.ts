import { parseArgs } from 'node:util';
import type { Tier } from '@spine/otc';

/**
 * The shape of the generated weeks (`--shape nms|otc`): which tier's symbol universe their lines come from.
 * nms: NMS Tier 1's, about 5.6 venues a symbol; otc: OTC's, most symbols on one to three venues, so about as many
 * per-symbol rows as lines.
 */
export const SHAPES = { nms: 'NMS_TIER_1', otc: 'OTC' } as const satisfies Record<string, Tier>;
export type Shape = keyof typeof SHAPES;

/** A bench's own option beside --shape: a string with a default, limited to `choices` when given. */
export interface BenchOption {
  default: string;
  choices?: readonly string[];
}

/** --shape and the bench's own options; a wrong or unknown one ends the bench with exit code 2 and one line. */
export function benchArgs<O extends Record<string, BenchOption>>(own: O, argv: string[] = process.argv.slice(2)): { shape: Shape } & Record<keyof O, string> {
  const all: Record<string, BenchOption> = { shape: { default: 'nms', choices: Object.keys(SHAPES) }, ...own };
  const hint = Object.entries(all).map(([name, o]) => `--${name} ${o.choices?.join('|') ?? `<${o.default}>`}`).join(' ');
  let values: Record<string, string>;
  try {
    const options = Object.fromEntries(Object.entries(all).map(([name, o]) => [name, { type: 'string' as const, default: o.default }]));
    values = parseArgs({ args: argv, options, strict: true }).values as Record<string, string>;
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error), hint);
  }
  for (const [name, o] of Object.entries(all)) {
    if (o.choices && !o.choices.includes(values[name]!)) return usage(`unknown ${name} "${values[name]}"`, hint);
  }
  return values as { shape: Shape } & Record<keyof O, string>;
}

export function benchShape(argv: string[] = process.argv.slice(2)): Shape {
  return benchArgs({}, argv).shape;
}

function usage(problem: string, hint: string): never {
  console.error(`${problem}: use ${hint}`);
  process.exit(2);
}
