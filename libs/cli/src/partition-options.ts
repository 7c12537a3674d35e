import type { Command } from 'commander';
import { partitionKeys, type DatasetDefinition, type PartitionKeyDefinition } from '@spine/platform/dataset/dataset-definition';
import type { DatasetRegistry } from '@spine/platform/dataset/dataset-registry';
import { InputError } from '@spine/platform/errors';

/** One option per key field any registered dataset declares (`--tier`, `--venue-type`, `--market-code`). */
interface KeyOption {
  field: string;
  flag: string;
  /** The property commander stores the value under. */
  attribute: string;
  keys: { dataset: string; key: PartitionKeyDefinition }[];
}

/** The property commander stores an option's value under: `--market-code` in `marketCode`. */
export function optionAttribute(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function keyOptions(datasets: DatasetRegistry): KeyOption[] {
  const byField = new Map<string, KeyOption>();
  for (const dataset of datasets.list()) {
    for (const key of dataset.keys) {
      const flag = key.field.replaceAll('_', '-');
      const option = byField.get(key.field) ?? { field: key.field, flag, attribute: optionAttribute(flag), keys: [] };
      option.keys.push({ dataset: dataset.name, key });
      byField.set(key.field, option);
    }
  }
  return [...byField.values()];
}

/**
 * Adds an option for each key of the registered datasets, described by `describe` (e.g. "a tier or all"); a value
 * is optional, as a dataset without that key takes none.
 */
export function addKeyOptions(command: Command, datasets: DatasetRegistry, describe: (label: string) => string): Command {
  for (const option of keyOptions(datasets)) {
    const owners = option.keys.map((k) => k.dataset);
    const label = option.keys[0]!.key.label.toLowerCase();
    const whose = datasets.names().length > 1 ? ` (${owners.join(', ')})` : '';
    command.option(`--${option.flag} <${option.flag}>`, `${describe(label)}${whose}`);
  }
  return command;
}

/**
 * The values given for the dataset's two key slots (undefined where none was given; the second slot of a one-key
 * dataset is never given). A key option of another dataset is refused, naming whose it is.
 */
export function keyOptionValues(datasets: DatasetRegistry, dataset: DatasetDefinition, opts: Record<string, unknown>): [string | undefined, string | undefined] {
  const own = new Set(dataset.keys.map((k) => k.field));
  const options = keyOptions(datasets);
  for (const option of options) {
    if (opts[option.attribute] !== undefined && !own.has(option.field)) {
      throw new InputError(`--${option.flag} is a key of ${option.keys.map((k) => k.dataset).join(', ')}, not of ${dataset.name} (its keys: ${dataset.keys.map((k) => `--${k.field.replaceAll('_', '-')}`).join(', ')})`);
    }
  }
  const [first, second] = partitionKeys(dataset);
  const valueOf = (key: PartitionKeyDefinition) => (key.implicit ? undefined : opts[options.find((o) => o.field === key.field)!.attribute] as string | undefined);
  return [valueOf(first), valueOf(second)];
}

/**
 * The values given for the dataset's own key options, by key field (`{ tier: 'T1,T2' }`), for a request schema that
 * names them so; another dataset's key option is refused as keyOptionValues refuses it.
 */
export function keyOptionFields(datasets: DatasetRegistry, dataset: DatasetDefinition, opts: Record<string, unknown>): Record<string, string> {
  keyOptionValues(datasets, dataset, opts);
  const fields: Record<string, string> = {};
  for (const option of keyOptions(datasets)) {
    const value = opts[option.attribute];
    if (typeof value === 'string') fields[option.field] = value;
  }
  return fields;
}
