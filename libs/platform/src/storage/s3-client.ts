import { S3Client } from '@aws-sdk/client-s3';

export interface S3Settings {
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Milliseconds; 0 turns one off. Unset, the SDK's defaults apply (which wait for ever). */
  timeouts?: S3Timeouts;
}

export interface S3Timeouts {
  /** To establish the TCP connection. */
  connectMs: number;
  /** From sending a request to its response's headers. */
  requestMs: number;
  /** Of silence on the socket, including mid-body: what ends a read that hangs. */
  socketMs: number;
}

/** The S3 settings of the environment's S3_* variables. */
export function s3SettingsFromEnv(env: {
  S3_ENDPOINT?: string; S3_REGION: string; S3_ACCESS_KEY_ID?: string; S3_SECRET_ACCESS_KEY?: string;
  S3_CONNECT_TIMEOUT_MS: number; S3_REQUEST_TIMEOUT_MS: number; S3_SOCKET_TIMEOUT_MS: number;
}): S3Settings {
  return {
    endpoint: env.S3_ENDPOINT, region: env.S3_REGION, accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    timeouts: { connectMs: env.S3_CONNECT_TIMEOUT_MS, requestMs: env.S3_REQUEST_TIMEOUT_MS, socketMs: env.S3_SOCKET_TIMEOUT_MS },
  };
}

/**
 * An S3 client for AWS or a local S3-compatible server: a custom endpoint gets path-style addressing, and checksums
 * are only computed where the protocol requires them, which local servers (s3rver, MinIO) expect.
 */
export function createS3Client(settings: S3Settings): S3Client {
  const t = settings.timeouts;
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
    ...(settings.accessKeyId && settings.secretAccessKey
      ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
      : {}),
    ...(t ? {
      // The SDK only warns when requestTimeout passes unless told to throw.
      requestHandler: { connectionTimeout: t.connectMs, requestTimeout: t.requestMs, socketTimeout: t.socketMs, throwOnRequestTimeout: true },
    } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
