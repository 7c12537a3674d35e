/**
 * Recognises errors that come from how this process is configured rather than from the work: missing or refused
 * credentials, a bucket that does not exist, a certificate that does not verify. Neither the data nor waiting is
 * at fault; a setting is, and the fault names it. Like transientFault, it looks at error names and codes only, and
 * follows wrapped errors through `cause`.
 */

export interface ConfigurationFault {
  /** What is wrong, for people: `S3 credentials`, `TLS certificate`. */
  detail: string;
  /** The settings to look at. */
  settings: string;
  /** The error name or code that decided it. */
  context: Readonly<Record<string, string>>;
}

const S3_CREDENTIALS = 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (or the role the process runs as)';

/** AWS SDK error names, by what they say about the configuration. */
const AWS_NAMES: Record<string, Omit<ConfigurationFault, 'context'>> = {
  CredentialsProviderError: { detail: 'no S3 credentials', settings: S3_CREDENTIALS },
  InvalidAccessKeyId: { detail: 'S3 credentials refused', settings: S3_CREDENTIALS },
  SignatureDoesNotMatch: { detail: 'S3 credentials refused', settings: S3_CREDENTIALS },
  InvalidToken: { detail: 'S3 credentials refused', settings: S3_CREDENTIALS },
  ExpiredToken: { detail: 'S3 credentials expired', settings: S3_CREDENTIALS },
  AccessDenied: { detail: 'S3 access denied', settings: `the rights of S3_ACCESS_KEY_ID on S3_BUCKET` },
  NoSuchBucket: { detail: 'no such S3 bucket', settings: 'S3_BUCKET (and S3_ENDPOINT, S3_REGION)' },
};

/** Node's TLS verification codes: the server's certificate is not one this process trusts for that host. */
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REVOKED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

function ownFault(e: { name?: unknown; code?: unknown; Code?: unknown }): ConfigurationFault | undefined {
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : typeof e.Code === 'string' ? e.Code : '';
  // Own keys only: every object answers to `constructor` and `toString`.
  const key = [name, code].find((k) => Object.hasOwn(AWS_NAMES, k));
  if (key) return { ...AWS_NAMES[key]!, context: { error: key } };
  if (TLS_CODES.has(code)) {
    return { detail: 'TLS certificate', settings: 'the endpoint URL (S3_ENDPOINT, FINRA_BASE_URL) or the trusted CAs (NODE_EXTRA_CA_CERTS)', context: { code } };
  }
  return undefined;
}

/** The configuration fault behind an error, or undefined when it is not one. */
export function configurationFault(error: unknown): ConfigurationFault | undefined {
  const seen = new Set<unknown>();
  for (let e = error; e !== null && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const fault = ownFault(e as { name?: unknown; code?: unknown; Code?: unknown });
    if (fault) return fault;
  }
  return undefined;
}
