// What the page benchmarks print beside every figure: the load, and a median with its spread.
import os from 'node:os';

/** The 1, 5 and 15 minute load averages. */
export const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
/** The median of xs (the lower middle one for an even count). */
export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
/** "min-max" of xs. */
export const spread = (xs) => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;
