import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createSource, InvalidSourceSpecError, parseSourceSpec } from '../src/create-source.ts';
import { DirectorySource } from '../src/dir-source.ts';
import { FinraApiSource } from '../src/finra-api/finra-api-source.ts';
import { S3PrefixSource } from '../src/s3-source.ts';

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

describe('createSource', () => {
  it('builds a directory source with an absolute path', () => {
    const source = createSource('dir:some/dir');
    expect(source).toBeInstanceOf(DirectorySource);
    expect(source.describe()).toBe(`dir:${path.resolve('some/dir')}`);
  });

  it('builds an S3 prefix source with the given client', () => {
    const s3Client = new S3Client({ region: 'us-east-1' });
    const source = createSource('s3:b/finra', { s3Client });
    expect(source).toBeInstanceOf(S3PrefixSource);
    expect(source.describe()).toBe('s3:b/finra');
    s3Client.destroy();
  });

  it('refuses an s3: source without a client', () => {
    expect(() => createSource('s3:b/finra')).toThrow('Source s3:b/finra needs an S3 client');
  });

  it('builds a FINRA API source from options', () => {
    const source = createSource('finra', { finraApi: { baseUrl: 'http://127.0.0.1:9/' } });
    expect(source).toBeInstanceOf(FinraApiSource);
    expect(source.describe()).toBe('finra:http://127.0.0.1:9/');
  });
});
