import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { DirectoryFiles } from '../src/dir-files.ts';
import { FinraQueryClient } from '../src/finra-api/query-client.ts';
import { S3PrefixFiles } from '../src/s3-files.ts';
import { InvalidSourceSpecError, parseSourceSpec, sourceAccess } from '../src/source-access.ts';

describe('parseSourceSpec', () => {
  it('parses the three CLI forms', () => {
    expect(parseSourceSpec('finra')).toEqual({ kind: 'finra' });
    expect(parseSourceSpec('dir:/data/finra')).toEqual({ kind: 'dir', dir: '/data/finra' });
    expect(parseSourceSpec('dir:relative/path')).toEqual({ kind: 'dir', dir: 'relative/path' });
    expect(parseSourceSpec('s3:raw-bucket/finra/weekly/')).toEqual({ kind: 's3', bucket: 'raw-bucket', prefix: 'finra/weekly' });
    expect(parseSourceSpec('s3:raw-bucket')).toEqual({ kind: 's3', bucket: 'raw-bucket', prefix: '' });
  });

  it.each(['', 'FINRA', 'finra:x', 'dir:', 'file:/data', 's3:', 's3:/prefix', 's3:Bad_Bucket/p', 'http://api.finra.org'])(
    'rejects %j with the accepted forms in the message',
    (spec) => {
      expect(() => parseSourceSpec(spec)).toThrow(InvalidSourceSpecError);
      expect(() => parseSourceSpec(spec)).toThrow('expected finra | dir:<path> | s3:<bucket>/<prefix>');
    },
  );

  it('says what is wrong with an S3 bucket name', () => {
    expect(() => parseSourceSpec('s3:Bad_Bucket/p')).toThrow('the bucket must be a valid S3 bucket name');
  });
});

describe('sourceAccess', () => {
  it('reaches a directory by its absolute path', () => {
    const access = sourceAccess('dir:some/dir', { maxFileBytes: 1000 });
    if (access.kind !== 'dir') throw new Error(`expected dir, got ${access.kind}`);
    expect(access.files).toBeInstanceOf(DirectoryFiles);
    expect(access.files.describe()).toBe(`dir:${path.resolve('some/dir')}`);
    expect(access.common.maxFileBytes).toBe(1000);
  });

  it('reaches an S3 prefix with the given client', () => {
    const s3Client = new S3Client({ region: 'us-east-1' });
    const access = sourceAccess('s3:b/finra', { s3Client });
    if (access.kind !== 's3') throw new Error(`expected s3, got ${access.kind}`);
    expect(access.files).toBeInstanceOf(S3PrefixFiles);
    expect(access.files.describe()).toBe('s3:b/finra');
    s3Client.destroy();
  });

  it('refuses an s3: source without a client', () => {
    expect(() => sourceAccess('s3:b/finra')).toThrow('Source s3:b/finra needs an S3 client');
  });

  it('reaches FINRA\'s Query API with the options, and its clock', () => {
    const now = () => new Date('2026-01-05T12:00:00Z');
    const access = sourceAccess('finra', { finraApi: { baseUrl: 'http://127.0.0.1:9/', now } });
    if (access.kind !== 'api') throw new Error(`expected api, got ${access.kind}`);
    expect(access.query).toBeInstanceOf(FinraQueryClient);
    expect(access.query.describe()).toBe('finra:http://127.0.0.1:9/');
    expect(access.common.now()).toEqual(now());
  });
});
