import { parseArgs } from 'node:util';
import type { Tier } from '@spine/otc';

/**
 * The shape of the generated weeks (`--shape nms|otc`): which tier's symbol universe their lines come from.
 * nms: NMS Tier 1's, about 5.6 venues a symbol; otc: OTC's, most symbols on one to three venues, so about as many
 * per-symbol rows as lines.
 */
export const SHAPES = { nms: 'NMS_TIER_1', otc: 'OTC' } as const satisfies Record<string, Tier>;
export type Shape = keyof typeof SHAPES;

export function benchShape(argv: string[] = process.argv.slice(2)): Shape {
  let shape: string;
  try {
    shape = parseArgs({ args: argv, options: { shape: { type: 'string', default: 'nms' } }, strict: true }).values.shape;
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  if (!(shape in SHAPES)) return usage(`unknown shape "${shape}"`);
  return shape as Shape;
}

function usage(problem: string): never {
  console.error(`${problem}: use --shape ${Object.keys(SHAPES).join('|')}`);
  process.exit(2);
}
