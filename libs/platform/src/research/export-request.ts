import * as z from 'zod';
import { S3_URL } from './export-targets.ts';

/** The fields every dataset's `spine export` request shares: which of its tables, the format and where the files go. */

/** Comma-separated names among `names`, each once, in the order given; an unknown one is refused naming the choices. */
export function tableListSchema<const N extends string>(names: readonly N[]) {
  return z.string().transform((value, ctx): N[] => {
    const given = [...new Set(value.split(',').map((name) => name.trim()).filter(Boolean))];
    const unknown = given.filter((name) => !(names as readonly string[]).includes(name));
    if (given.length === 0 || unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: `unknown table "${unknown[0] ?? value}": use one or more of ${names.join(', ')}, comma-separated` });
      return z.NEVER;
    }
    return given as N[];
  });
}

export const exportFormatSchema = z.enum(['parquet', 'csv'], { error: 'use parquet or csv' });

/** A local directory, or s3://bucket/prefix; any other URL is refused rather than taken for a directory's name. */
export const exportOutSchema = z.string().min(1).refine((value) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || S3_URL.test(value), {
  error: 'write to a local directory or to s3://bucket/prefix (a valid bucket name; no other URL)',
});
