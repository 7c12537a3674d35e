import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../src/db/pool.ts';
import { capBytes, FileTooLargeError, refuseOversize } from '../src/streams/byte-cap.ts';
import { RawStore } from '../src/storage/raw-store.ts';

async function drain(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** `count` chunks of `size` bytes, counting how many were read. */
function chunks(count: number, size: number): { body: Readable; read: () => number } {
  let read = 0;
  const body = Readable.from((function* () {
    for (let i = 0; i < count; i++) {
      read++;
      yield Buffer.alloc(size, 'x');
    }
  })(), { objectMode: false });
  return { body, read: () => read };
}

describe('capBytes', () => {
  it('passes a body of exactly the cap unchanged', async () => {
    expect((await drain(capBytes(chunks(4, 256).body, 1024, 'file:///w.psv'))).length).toBe(1024);
  });

  it('fails the read once the cap is passed and stops reading the source', async () => {
    const source = chunks(1000, 1024);
    const error = await drain(capBytes(source.body, 4096, 'file:///w.psv')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect((error as Error).message).toBe('file:///w.psv is larger than the 4096-byte cap on a source file (SOURCE_MAX_FILE_BYTES); it was not stored');
    expect(source.read()).toBeLessThan(10);
    expect(source.body.destroyed).toBe(true);
  });

  it('passes the source error through unchanged, so a lost connection stays retryable', async () => {
    const failing = new Readable({ read() { this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })); } });
    await expect(drain(capBytes(failing, 4096, 's3://b/k'))).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});

describe('refuseOversize', () => {
  it('refuses a known size past the cap, naming it, and lets an unknown one through to the streamed check', () => {
    expect(() => refuseOversize('s3://b/k', 5000, 4096)).toThrow('s3://b/k is 5000 bytes, more than the 4096-byte cap on a source file');
    expect(() => refuseOversize('s3://b/k', 4096, 4096)).not.toThrow();
    expect(() => refuseOversize('s3://b/k', undefined, 4096)).not.toThrow();
  });
});

describe('RawStore.put', () => {
  it('refuses a body past its cap before anything is looked up or uploaded', async () => {
    const queries: string[] = [];
    const db = { query: (text: string) => { queries.push(text); return Promise.resolve({ rows: [] }); } } as unknown as Queryable;
    const store = new RawStore({} as S3Client, 'raw', 4096);
    const put = store.put(db, { domain: 'otc', key1: 'OTC', key2: 'ATS', periodEnd: '2025-12-05', prefix: 'otc/OTC/2025-12-05/', extension: 'psv' }, chunks(100, 1024).body, { source: 'dir', sourceUri: 'file:///w.psv' });
    await expect(put).rejects.toThrow(FileTooLargeError);
    expect(queries).toEqual([]);
  });
});
