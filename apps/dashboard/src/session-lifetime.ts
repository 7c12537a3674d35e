import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { Pool } from '@spine/platform';
import type { Credentials, Role } from './auth.ts';

/** What the signed session cookie holds. */
export interface SessionClaims {
  role: Role;
  /** Identifies the session for revocation. */
  sid: string;
  /** Issued at, epoch milliseconds: the server decides expiry from it, whatever the cookie's own Max-Age says. */
  iat: number;
  nonce: string;
  /** Fingerprint of the role's password when the session was issued: a new password ends the session. */
  cred: string;
  /** The session generation it was issued in (see revokeAllSessions). */
  gen: number;
}

export interface SessionLifetimeOptions {
  maxAgeMs: number;
  credentials: Credentials;
  /** The cookies' signing secret, which also keys the password fingerprints. */
  secret: string;
}

/**
 * An HMAC keyed with the session secret, not a plain hash: the cookie is signed but readable by its holder, and a
 * plain hash of the password would let its holder guess the password offline.
 */
function fingerprint(secret: string, role: Role, password: string): string {
  return createHmac('sha256', secret).update(`${role}\0${password}`).digest('base64url');
}

/**
 * Server-side session lifetime: a session is valid while younger than the configured age, issued for the role's
 * current password, of the current session generation and not signed out. Sign-out records the session id in
 * PostgreSQL until the session would have expired anyway (PostgreSQL, not Redis, because a Redis restart without
 * persistence would silently bring signed-out sessions back).
 */
export class SessionLifetime {
  private readonly fingerprints: Partial<Record<Role, string>>;

  constructor(private readonly pool: Pool, private readonly options: SessionLifetimeOptions, private readonly now: () => number = Date.now) {
    const { credentials, secret } = options;
    this.fingerprints = {
      admin: fingerprint(secret, 'admin', credentials.admin),
      ...(credentials.viewer ? { viewer: fingerprint(secret, 'viewer', credentials.viewer) } : {}),
    };
  }

  async issue(role: Role): Promise<SessionClaims> {
    const { rows } = await this.pool.query<{ generation: number }>('SELECT generation FROM dashboard_session_generation');
    return { role, sid: randomUUID(), iat: this.now(), nonce: randomBytes(16).toString('hex'), cred: this.fingerprints[role]!, gen: rows[0]!.generation };
  }

  /** The session's claims if it is well-formed, unexpired and not revoked; undefined otherwise. */
  async validate(session: Request['session']): Promise<SessionClaims | undefined> {
    const { role, sid, iat, nonce, cred, gen } = (session ?? {}) as Partial<Record<keyof SessionClaims, unknown>>;
    if ((role !== 'admin' && role !== 'viewer') || typeof sid !== 'string' || typeof iat !== 'number' || typeof nonce !== 'string') return undefined;
    if (typeof cred !== 'string' || typeof gen !== 'number' || !/^[0-9a-f-]{36}$/.test(sid)) return undefined;
    // The cookie is signed, so nobody can try values here: a plain comparison leaks nothing.
    if (cred !== this.fingerprints[role]) return undefined;
    const age = this.now() - iat;
    if (age < 0 || age >= this.options.maxAgeMs) return undefined;
    const { rows } = await this.pool.query<{ revoked: boolean; generation: number }>(
      `SELECT EXISTS (SELECT 1 FROM dashboard_revoked_sessions WHERE session_id = $1) AS revoked,
              (SELECT generation FROM dashboard_session_generation) AS generation`,
      [sid],
    );
    return rows[0]!.revoked || rows[0]!.generation !== gen ? undefined : { role, sid, iat, nonce, cred, gen };
  }

  /** Revokes the session until it would have expired; expired revocations are deleted on the way. */
  async revoke(claims: SessionClaims): Promise<void> {
    const expiresAt = new Date(claims.iat + this.options.maxAgeMs);
    await this.pool.query('DELETE FROM dashboard_revoked_sessions WHERE expires_at < now()');
    await this.pool.query(
      'INSERT INTO dashboard_revoked_sessions (session_id, expires_at) VALUES ($1, $2) ON CONFLICT (session_id) DO NOTHING',
      [claims.sid, expiresAt],
    );
  }
}

/** Ends every dashboard session, of every replica, at once: the session generation moves on. */
export async function revokeAllSessions(pool: Pool): Promise<{ generation: number; revoked_at: Date }> {
  const { rows } = await pool.query<{ generation: number; revoked_at: Date }>(
    'UPDATE dashboard_session_generation SET generation = generation + 1, revoked_at = now() RETURNING generation, revoked_at',
  );
  return rows[0]!;
}
