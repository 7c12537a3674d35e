/** Where Reg SHO's research pages are: its own place in the dashboard's research area. */
export const REGSHO_PAGES = '/research/datasets/regsho';

export const symbolPath = (symbol: string) => `${REGSHO_PAGES}/symbols/${encodeURIComponent(symbol)}`;
export const weekPath = (weekEnding: string) => `${REGSHO_PAGES}/weeks/${weekEnding}`;
