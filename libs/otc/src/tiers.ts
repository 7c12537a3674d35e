/** Canonical tier codes (DOMAIN.md). FINRA's descriptions and API identifiers are accepted as aliases. */
export const TIERS = ['NMS_TIER_1', 'NMS_TIER_2', 'OTC'] as const;
export type Tier = (typeof TIERS)[number];

const FINRA_DESCRIPTION: Record<Tier, string> = { NMS_TIER_1: 'NMS Tier 1', NMS_TIER_2: 'NMS Tier 2', OTC: 'OTC' };
const FINRA_API_IDENTIFIER: Record<Tier, string> = { NMS_TIER_1: 'T1', NMS_TIER_2: 'T2', OTC: 'OTCE' };

const ALIASES = new Map<string, Tier>();
for (const tier of TIERS) {
  for (const alias of [tier, FINRA_DESCRIPTION[tier], FINRA_API_IDENTIFIER[tier]]) ALIASES.set(alias, tier).set(alias.toUpperCase(), tier);
}

/** Resolves any accepted spelling (case-insensitive, surrounding blanks ignored); undefined for an unknown tier. */
export function parseTier(value: string): Tier | undefined {
  // Every line of a week file repeats its tier's exact spelling: look that up before normalizing it.
  return ALIASES.get(value) ?? ALIASES.get(value.trim().toUpperCase());
}

export function tierDescription(tier: Tier): string {
  return FINRA_DESCRIPTION[tier];
}

export function tierApiIdentifier(tier: Tier): string {
  return FINRA_API_IDENTIFIER[tier];
}
