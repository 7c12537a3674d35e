/** Where Reg SHO's research pages are: its own place in the dashboard's research area. */
export const REGSHO_PAGES = '/research/datasets/regsho';

export const symbolPath = (symbol: string) => `${REGSHO_PAGES}/symbols/${encodeURIComponent(symbol)}`;
export const weekPath = (weekEnding: string) => `${REGSHO_PAGES}/weeks/${weekEnding}`;

/** A volume of the answers (an exact decimal string) for reading: whole shares, grouped. */
export const shares = (volume: string | null) => (volume === null ? '' : Number(volume).toLocaleString('en-US', { maximumFractionDigits: 0 }));

/** A ratio of the answers (0..1) in percent, 2 places. */
export const percent = (ratio: number | null) => (ratio === null ? '' : (ratio * 100).toFixed(2));
