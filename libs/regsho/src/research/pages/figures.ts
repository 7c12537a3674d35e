/** A volume of the answers (an exact decimal string) for reading: whole shares, grouped. */
export const shares = (volume: string | null) => (volume === null ? '' : Number(volume).toLocaleString('en-US', { maximumFractionDigits: 0 }));

/** A ratio of the answers (0..1) in percent, 2 places. */
export const percent = (ratio: number | null) => (ratio === null ? '' : (ratio * 100).toFixed(2));
