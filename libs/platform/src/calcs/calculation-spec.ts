import * as z from 'zod';

/** A table, view or column name as it may be put into SQL: lower-case letters, digits and underscores. */
const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL name (letters, digits, _)');
const VERSION = /^v([1-9]\d*)\.(0|[1-9]\d*)$/;
const version = z.string().regex(VERSION, 'a version v{major}.{minor}, e.g. v1.0');

/**
 * What a calculation declares about itself, beside its code: identity, lineage, dependencies, behaviour,
 * documentation and validation. Domain-free: a domain's registry holds one spec per major version of each of its
 * calculations, checked against the database's calculation graph at start-up and copied into core_calc_versions.
 */
export const calculationSpecSchema = z.object({
  name: identifier,
  version,
  /** The pipeline stage that runs it (core_calc_dependencies.stage). */
  stage: z.string().min(1),
  lineage: z.object({
    inputs: z.array(identifier),
    /** The contract view readers use; it serves the current major version. */
    output: identifier,
    /** Where this major version's rows are read whether or not it is current (default: output). */
    versionOutput: identifier.optional(),
  }),
  dependencies: z.object({
    dependsOn: z.array(identifier),
    /** Weeks of history one result reads: 1 for a week by itself, 6 for a 6-week window. */
    weeksRequired: z.int().min(1),
  }),
  behaviour: z.object({
    /** A new major version: changed schema or logic, run side by side with the version it replaces. */
    isBreaking: z.boolean(),
    replaces: version.nullable(),
  }),
  documentation: z.object({
    description: z.string().min(1),
    assumptions: z.array(z.string().min(1)),
  }),
  validation: z.object({
    outputColumns: z.array(identifier).min(1),
    /** The columns that identify a row within a capture (compared versions are joined on them). */
    rowKey: z.array(identifier).min(1),
    /** Rows expected per capture, e.g. 1 per symbol-week; null when the count has no fixed grain. */
    expectedRows: z.object({ count: z.int().min(1), per: z.string().regex(/^[a-z]+(-[a-z]+)*$/, 'a grain such as symbol-week') }).nullable(),
    /**
     * Where the row count is taken when the output computes its figures when read (a view over stored windows): a
     * relation with the same rows per capture (capture_id) and none of the figures, so counting computes nothing.
     */
    rowsCountedIn: identifier.optional(),
  }),
}).superRefine((spec, ctx) => {
  // Zod runs refinements over an object whose fields failed too: a malformed version is reported once, by its field.
  if (!VERSION.test(spec.version) || (spec.behaviour.replaces !== null && !VERSION.test(spec.behaviour.replaces))) return;
  const own = parseCalcVersion(spec.version);
  const replaced = spec.behaviour.replaces === null ? null : parseCalcVersion(spec.behaviour.replaces);
  const issue = (message: string) => ctx.addIssue({ code: 'custom', message, path: ['behaviour'] });
  if (own.major === 1 && own.minor === 0) {
    if (replaced !== null || spec.behaviour.isBreaking) issue('v1.0 is the first version: it replaces nothing and breaks nothing');
    return;
  }
  if (replaced === null) return issue(`${spec.version} must name the version it replaces`);
  if (own.minor > 0) {
    if (spec.behaviour.isBreaking) issue(`${spec.version} is a minor version: a fix that replaces the output, not a breaking change`);
    if (replaced.major !== own.major || replaced.minor !== own.minor - 1) issue(`${spec.version} replaces v${own.major}.${own.minor - 1}, not ${spec.behaviour.replaces}`);
    return;
  }
  if (!spec.behaviour.isBreaking) issue(`${spec.version} is a major version: mark it is_breaking (it runs side by side with the one it replaces)`);
  if (replaced.major !== own.major - 1) issue(`${spec.version} replaces a v${own.major - 1}.x version, not ${spec.behaviour.replaces}`);
});

export type CalculationSpec = z.infer<typeof calculationSpecSchema>;

export interface CalcVersion {
  major: number;
  minor: number;
}

export function parseCalcVersion(text: string): CalcVersion {
  const match = VERSION.exec(text);
  if (!match) throw new Error(`"${text}" is not a version v{major}.{minor}`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** The relation holding this major version's rows, current or not. */
export function versionOutput(spec: CalculationSpec): string {
  return spec.lineage.versionOutput ?? spec.lineage.output;
}

/** "1 per symbol-week", or null. */
export function describeExpectedRows(spec: CalculationSpec): string | null {
  const expected = spec.validation.expectedRows;
  return expected === null ? null : `${expected.count} per ${expected.per}`;
}

/** Parses a spec written in code; an invalid one is a programming error, reported with every problem and the spec's name. */
export function defineCalculation(spec: z.input<typeof calculationSpecSchema>): CalculationSpec {
  const parsed = calculationSpecSchema.safeParse(spec);
  if (!parsed.success) {
    throw new Error(`calculation spec ${spec.name} ${spec.version} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
