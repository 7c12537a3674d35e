import type { z } from 'zod';

/** One line per problem, naming the parameter: what the API answers with 400 and the CLI prints with exit code 2. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
}
