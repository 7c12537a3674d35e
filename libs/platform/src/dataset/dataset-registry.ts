import { isAbsolute } from 'node:path';
import { IMPLICIT_SECOND_KEY, type DatasetDefinition, type PartitionKeyDefinition } from './dataset-definition.ts';

export class UnknownDatasetError extends Error {
  constructor(readonly dataset: string, readonly known: readonly string[]) {
    super(`unknown dataset "${dataset}": registered datasets are ${known.join(', ')}`);
    this.name = 'UnknownDatasetError';
  }
}

/** The datasets a process serves, by name. Built once at start-up from the registration point. */
export class DatasetRegistry {
  private readonly byName = new Map<string, DatasetDefinition>();

  constructor(definitions: readonly DatasetDefinition[]) {
    if (definitions.length === 0) throw new Error('a dataset registry needs at least one dataset');
    for (const definition of definitions) {
      if (this.byName.has(definition.name)) throw new Error(`dataset ${definition.name} is registered twice`);
      const problem = definitionProblem(definition);
      if (problem) throw new Error(`dataset ${definition.name} cannot be registered: ${problem}`);
      this.byName.set(definition.name, definition);
    }
  }

  get(name: string): DatasetDefinition {
    const definition = this.byName.get(name);
    if (!definition) throw new UnknownDatasetError(name, this.names());
    return definition;
  }

  /** The dataset of that name, or undefined: for rows that may name one this release no longer registers. */
  find(name: string): DatasetDefinition | undefined {
    return this.byName.get(name);
  }

  /** The dataset of data that names none: written before datasets were named, when the first one was the only one. */
  get first(): DatasetDefinition {
    return this.byName.values().next().value!;
  }

  /** A job's dataset: the one it names, else the first. */
  of(name: string | undefined): DatasetDefinition {
    return name === undefined ? this.first : this.get(name);
  }

  list(): DatasetDefinition[] {
    return [...this.byName.values()];
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}

/**
 * What the orchestration relies on in a definition, checked once at start-up: a chain that starts with its one fetch
 * stage, has stages of its own, and ends with its window stages (a backfill's window jobs run those after the rest).
 */
export function definitionProblem(definition: DatasetDefinition): string | undefined {
  const { stages, keys } = definition;
  if (!/^[a-z][a-z0-9_]*$/.test(definition.name)) return 'its name must be lower-case letters, digits and underscores';
  if (stages[0]?.queue !== 'fetch') return 'its first stage must be on the fetch queue';
  if (stages.slice(1).some((s) => s.queue === 'fetch')) return 'only its first stage may be on the fetch queue';
  if (new Set(stages.map((s) => s.name)).size !== stages.length) return 'two of its stages have the same name';
  const firstWindow = stages.findIndex((s) => s.spansNeighbours);
  if (firstWindow !== -1 && stages.slice(firstWindow).some((s) => !s.spansNeighbours)) return 'its stages over neighbouring periods must come last';
  if ((firstWindow === -1 ? stages.length : firstWindow) < 2) return 'it needs a stage of its own after fetch, before any window stage';
  if (keys.length === 1 && keys[0].field === IMPLICIT_SECOND_KEY.field) return `its one key cannot be named ${IMPLICIT_SECOND_KEY.field}: a one-key dataset's second slot is`;
  if (keys.length === 2 && keys[0].field === keys[1].field) return 'its two keys have the same field';
  if (keys.some((k) => k.implicit)) return 'only the platform declares an implicit key';
  if (keys.some((k) => k.values.length === 0)) return 'each partition key needs at least one value';
  if (keys.some((k) => k.legacyDefault !== undefined && !k.values.includes(k.legacyDefault))) return 'a legacy default must be one of its key\'s values';
  // Relative paths would resolve against whatever directory a process started in.
  if (definition.migrationsDir !== undefined && !isAbsolute(definition.migrationsDir)) return 'its migrations directory must be an absolute path';
  return undefined;
}

/** `all` (every value) or one accepted spelling of one value; undefined for anything else. */
export function parseKeyValues(key: PartitionKeyDefinition, text: string): string[] | undefined {
  if (text.trim().toLowerCase() === 'all') return [...key.values];
  const value = key.parse(text);
  return value === undefined ? undefined : [value];
}

/** How a refused value is answered: every value the key takes, `all` first when it is allowed. */
export function keyChoices(key: PartitionKeyDefinition, withAll: boolean): string {
  if (!withAll) return `use one of ${key.values.join(', ')}`;
  return key.values.length === 2 ? `use all, ${key.values.join(' or ')}` : `use all or one of ${key.values.join(', ')}`;
}

/** The message for a value no spelling of which the key takes. */
export function unknownKeyValue(key: PartitionKeyDefinition, value: string, withAll: boolean): string {
  return `unknown ${key.label.toLowerCase()} "${value}": ${keyChoices(key, withAll)}`;
}
