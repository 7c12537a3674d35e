import type { Command } from 'commander';
import { printJson, withRuntime } from '../runtime.ts';

export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('read-only tokens of the research API (/api/v1, Authorization: Bearer)');
  tokens.command('create').requiredOption('--name <name>', 'what the token is for: letters, digits, . _ -').option('--json', 'print as JSON')
    .description('create a token and print it, once: only its SHA-256 is kept')
    .action(async (opts: { name: string; json?: boolean }) => withRuntime(async ({ pool }) => {
      const { createApiToken } = await import('@spine/research/api-tokens');
      const { token, record } = await createApiToken(pool, opts.name);
      if (opts.json) return printJson({ ...record, token });
      process.stdout.write(`${token}\n`);
      process.stderr.write(`token "${record.name}" created; it is shown this once: keep it now. Use it as  Authorization: Bearer <token>\n`);
    }));
  tokens.command('list').option('--json', 'print as JSON').description('every token (never the token itself): name, hint, created, last used, revoked')
    .action(async (opts: { json?: boolean }) => withRuntime(async ({ pool }) => {
      const [{ listApiTokens, TOKEN_PREFIX }, { renderTable }] = await Promise.all([import('@spine/research/api-tokens'), import('../table.ts')]);
      const all = await listApiTokens(pool);
      if (opts.json) return printJson(all);
      if (all.length === 0) return void process.stdout.write('no tokens\n');
      process.stdout.write(`${renderTable(['name', 'token', 'created_at', 'last_used_at', 'revoked_at'],
        all.map((t) => [t.name, `${TOKEN_PREFIX}${t.token_hint}...`, t.created_at, t.last_used_at, t.revoked_at]))}\n`);
    }));
  tokens.command('revoke').argument('<name>', 'the token\'s name').option('--json', 'print as JSON')
    .description('revoke the live token of that name: its next request is refused')
    .action(async (name: string, opts: { json?: boolean }) => withRuntime(async ({ pool }) => {
      const { revokeApiToken } = await import('@spine/research/api-tokens');
      const revoked = await revokeApiToken(pool, name);
      if (opts.json) return printJson(revoked);
      process.stdout.write(`token "${revoked.name}" revoked at ${revoked.revoked_at}\n`);
    }));
}
