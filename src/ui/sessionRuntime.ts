import { processBudgets } from '../api/budgetRegistry';
import { configureCoordination, shareBudgetsAcrossProcesses } from '../coordination/processCoordination';

/**
 * What a live session needs and activation does not: the client, the monitor, node-fetch and the
 * cross-process sharing (the bulk of the code). The extension loads this module with `import()`
 * when the view is shown or a command runs, so activation parses none of it.
 */
export { Session } from './session';
export { checkKeyWithVast } from './keyCheck';
export { InstanceWatch } from './instanceWatch';
/** `vastai.shareBudget` changed: every budget joins or leaves its group. */
export { setCoordinationEnabled as setSharing } from '../coordination/processCoordination';

export interface SharingOptions {
  /** `vastai.shareBudget`. */
  enabled: boolean;
  /** What this process is for the others' status bars ('window'). */
  kind: string;
  log: (line: string) => void;
}

/** Shares every budget this process creates with the other windows and scripts on the same key. */
export function shareBudgets(options: SharingOptions): void {
  configureCoordination({ kind: options.kind, enabled: options.enabled, log: options.log, trace: options.log });
  shareBudgetsAcrossProcesses(processBudgets);
}
