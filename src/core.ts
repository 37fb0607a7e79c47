// The plain-Node entry (dist/core.js): everything that talks to Vast.ai, usable outside the editor.
export { systemClock } from './util/clock';
export type { Clock } from './util/clock';
export * from './vast/endpoints';
export type * from './vast/types';
