import { randomBytes } from 'node:crypto';

export interface StandInCredentials {
  clientId: string;
  clientSecret: string;
}

export type TokenAnswer =
  | { status: 200; body: { access_token: string; token_type: 'Bearer'; expires_in: number } }
  | { status: 400 | 401; body: { error: string; error_description: string } };

/**
 * The stand-in's OAuth2 client-credentials issuer. With credentials configured, data requests need a bearer token it
 * issued and that has not expired or been revoked. Without, it issues tokens to any client and none are required.
 */
export class TokenIssuer {
  readonly #credentials: StandInCredentials | undefined;
  readonly #ttlSeconds: number;
  readonly #expiryByToken = new Map<string, number>();

  constructor(credentials: StandInCredentials | undefined, ttlSeconds: number) {
    this.#credentials = credentials;
    this.#ttlSeconds = ttlSeconds;
  }

  get required(): boolean {
    return this.#credentials !== undefined;
  }

  /** Client authentication by HTTP Basic (as FINRA and our client do) or client_id/client_secret form fields. */
  issue(authorization: string | undefined, form: URLSearchParams): TokenAnswer {
    if (form.get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'only grant_type=client_credentials is supported' } };
    }
    const client = basicCredentials(authorization) ?? { clientId: form.get('client_id'), clientSecret: form.get('client_secret') };
    if (this.#credentials && (client.clientId !== this.#credentials.clientId || client.clientSecret !== this.#credentials.clientSecret)) {
      return { status: 401, body: { error: 'invalid_client', error_description: `unknown client ${JSON.stringify(client.clientId)} or wrong secret` } };
    }
    const token = randomBytes(24).toString('base64url');
    this.#expiryByToken.set(token, Date.now() + this.#ttlSeconds * 1000);
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: this.#ttlSeconds } };
  }

  isAuthorized(authorization: string | undefined): boolean {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    const expiry = token === undefined ? undefined : this.#expiryByToken.get(token);
    return expiry !== undefined && expiry > Date.now();
  }

  /** Forgets every issued token, as if they had expired: clients must fetch new ones. */
  revokeAll(): void {
    this.#expiryByToken.clear();
  }
}

function basicCredentials(authorization: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const encoded = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}
