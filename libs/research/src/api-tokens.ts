import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '@spine/platform/db/pool';
import { InputError } from '@spine/platform/errors';
import { NotFoundError } from '@spine/platform/research/errors';
import { isoInstant } from '@spine/platform/research/research-endpoint';

/** Every token starts so, which lets people and secret scanners recognise one. */
export const TOKEN_PREFIX = 'spine_ro_';
const TOKEN_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const TOKEN_SHAPE = /^spine_ro_[A-Za-z0-9_-]{43}$/;

export interface ApiToken {
  token_id: number;
  name: string;
  /** The first characters after the prefix, to tell tokens apart without holding one. */
  token_hint: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

const tokenColumns = `token_id, name, token_hint, ${isoInstant('created_at')} AS created_at, ${isoInstant('revoked_at')} AS revoked_at,
  ${isoInstant('last_used_at')} AS last_used_at`;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new read-only token: 32 random bytes; only its SHA-256 is stored, so the token itself is returned this once. */
export async function createApiToken(db: Queryable, name: string): Promise<{ token: string; record: ApiToken }> {
  if (!TOKEN_NAME.test(name)) throw new InputError(`token name "${name}": use 1 to 64 letters, digits, dots, dashes or underscores`);
  const secret = randomBytes(32).toString('base64url');
  const token = `${TOKEN_PREFIX}${secret}`;
  try {
    const { rows } = await db.query<ApiToken>(
      `INSERT INTO research_api_tokens (name, token_sha256, token_hint) VALUES ($1, $2, $3) RETURNING ${tokenColumns}`,
      [name, digest(token), secret.slice(0, 6)]);
    return { token, record: rows[0]! };
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new InputError(`a live token named "${name}" exists already: revoke it first or pick another name`);
    throw error;
  }
}

export async function listApiTokens(db: Queryable): Promise<ApiToken[]> {
  const { rows } = await db.query<ApiToken>(`SELECT ${tokenColumns} FROM research_api_tokens ORDER BY created_at, token_id`);
  return rows;
}

/** Revokes the live token of that name; its next request is refused, on every dashboard replica. */
export async function revokeApiToken(db: Queryable, name: string): Promise<ApiToken> {
  const { rows } = await db.query<ApiToken>(
    `UPDATE research_api_tokens SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING ${tokenColumns}`, [name]);
  if (!rows[0]) throw new NotFoundError(`no live token named "${name}"`);
  return rows[0];
}

/**
 * The live token a bearer presents, or undefined. Looked up by its SHA-256 (an index lookup: the comparison is of
 * digests, so its time says nothing about the token). Records the use at most once a minute.
 */
export async function verifyApiToken(db: Queryable, presented: string): Promise<Pick<ApiToken, 'token_id' | 'name'> | undefined> {
  if (!TOKEN_SHAPE.test(presented)) return undefined;
  const { rows } = await db.query<Pick<ApiToken, 'token_id' | 'name'> & { stale: boolean }>(
    `SELECT token_id, name, last_used_at IS NULL OR last_used_at < now() - interval '1 minute' AS stale
       FROM research_api_tokens WHERE token_sha256 = $1 AND revoked_at IS NULL`, [digest(presented)]);
  const found = rows[0];
  if (!found) return undefined;
  if (found.stale) await db.query('UPDATE research_api_tokens SET last_used_at = now() WHERE token_id = $1', [found.token_id]);
  return { token_id: found.token_id, name: found.name };
}
