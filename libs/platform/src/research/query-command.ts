/**
 * A research question as a command of `spine query`: which question of the research API it asks, what its arguments
 * and options are called and what a terminal table shows of its rows. The dataset's definition declares its commands
 * (`DatasetDefinition.queryCommands`) without loading its research module, so `spine --help` stays fast; the command
 * runs the question's own endpoint, with its schemas, as /api/v1 does.
 */
export interface QueryCommand {
  /** Under `spine query` for the registry's first dataset (whose questions hold the API's root paths), else under `spine query <dataset>`. */
  name: string;
  description: string;
  /** Its arguments, in order: each a path parameter of the question, `pathParam` when the argument's own name differs. */
  arguments: readonly { name: string; description: string; pathParam?: string }[];
  /** The endpoint it asks (Endpoint.operationId). */
  operationId: string;
  /** The columns a terminal table shows, in order; `--json` and `--csv` have every column. */
  columns: readonly string[];
  /** Its query parameters as options: the parameter is the long flag in snake_case (`--venue-type` asks `venue_type`). */
  options?: readonly QueryCommandOption[];
  /** The point-in-time parameters the question takes: `--as-of-published` (`published`), `--as-of-captured` (`captured`). */
  asOf?: readonly ('published' | 'captured')[];
  /** A flag that asks another question of the same arguments and options instead (`week --venues`: the week's venue table). */
  variant?: { flag: string; description: string; operationId: string; columns: readonly string[] };
}

export interface QueryCommandOption {
  /** commander's flags, `--name <value>`. */
  flags: string;
  description: string;
  default?: string;
  required?: boolean;
}

/** The query parameter an option's flags ask: `--venue-type <type>` asks `venue_type`. */
export function queryParamOf(flags: string): string {
  const long = /--([a-z][a-z0-9-]*)/.exec(flags)?.[1];
  if (!long) throw new Error(`option flags ${JSON.stringify(flags)} have no long flag`);
  return long.replaceAll('-', '_');
}
