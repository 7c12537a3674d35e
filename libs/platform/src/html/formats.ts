import { html, type Html } from './html.ts';

/** The one time format of the pages: ISO 8601 in UTC to the second, zone written out (`2025-12-05T20:10:55Z`). */
export function isoTime(value: Date | string): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A time as `isoTime`, in a <time> element the page script gives a local-time tooltip. */
export function timeTag(value: Date | string | null | undefined): Html | string {
  if (value === null || value === undefined) return '';
  const iso = isoTime(value);
  return html`<time datetime="${iso}">${iso}</time>`;
}

/** A duration for people: `850 ms`, `12.4 s`, `3 min 05 s`, `2 h 10 min`. */
export function durationText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
