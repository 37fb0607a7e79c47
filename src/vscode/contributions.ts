// The contract with package.json's "contributes": command ids, context keys, the view id and the
// tree items' context values, in one place. Plain data (no `vscode` import), so the UI layer may
// build context values from it; test/unit/contributions.test.ts checks package.json against it.

export const VIEW_ID = 'vastai.instances';
export const EXTENSION_ID = 'vast-gpu-explorer.vast-gpu-explorer';
/** The getting-started walkthrough (contributes.walkthroughs). */
export const WALKTHROUGH_ID = 'gettingStarted';
/** Instance logs open as read-only documents of this scheme. */
export const LOGS_SCHEME = 'vastai-logs';

export const COMMANDS = {
  setApiKey: 'vastai.setApiKey',
  importCliKey: 'vastai.importCliKey',
  clearApiKey: 'vastai.clearApiKey',
  useSimulator: 'vastai.useSimulator',
  stopSimulator: 'vastai.stopSimulator',
  refresh: 'vastai.refresh',
  showLog: 'vastai.showLog',
  openWalkthrough: 'vastai.openWalkthrough',
  filterInstances: 'vastai.filterInstances',
  clearInstanceFilter: 'vastai.clearInstanceFilter',
  sortInstances: 'vastai.sortInstances',
  toggleGrouping: 'vastai.toggleGrouping',
  quickSearch: 'vastai.quickSearch',
  searchOffers: 'vastai.searchOffers',
  batchSearch: 'vastai.batchSearch',
  createInstance: 'vastai.createInstance',
  createMultiple: 'vastai.createMultiple',
  waitUntilRunning: 'vastai.waitUntilRunning',
  startInstance: 'vastai.startInstance',
  stopInstance: 'vastai.stopInstance',
  rebootInstance: 'vastai.rebootInstance',
  renameInstance: 'vastai.renameInstance',
  destroyInstance: 'vastai.destroyInstance',
  copySshCommand: 'vastai.copySshCommand',
  connectRemoteSsh: 'vastai.connectRemoteSsh',
  openJupyter: 'vastai.openJupyter',
  showInstanceLogs: 'vastai.showInstanceLogs',
  refreshInstanceLogs: 'vastai.refreshInstanceLogs',
  manageSshKeys: 'vastai.manageSshKeys',
  simulatorThrottleHard: 'vastai.simulator.throttleHard',
  simulatorLowCredit: 'vastai.simulator.lowCredit',
  simulatorLingerDestroy: 'vastai.simulator.lingerDestroy',
  simulatorClearLimits: 'vastai.simulator.clearLimits',
  simulatorFillAccount: 'vastai.simulator.fillAccount',
} as const;
export type CommandName = keyof typeof COMMANDS;
export type CommandId = (typeof COMMANDS)[CommandName];

/** Context keys the extension sets (`setContext`) for `when` clauses. */
export const CONTEXT_KEYS = {
  /** 'none' | 'api' | 'simulator'. */
  mode: 'vastai.mode',
  simulator: 'vastai.simulator',
  /** The first instance list has been read. */
  loaded: 'vastai.loaded',
  hasInstances: 'vastai.hasInstances',
  /** The Instances view has a filter in force. */
  filtered: 'vastai.filtered',
} as const;

/** The groups an instance's menus depend on; `failed` will not run by itself. */
export const INSTANCE_STATES = ['running', 'transitional', 'stopped', 'failed', 'unknown'] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

/** An instance tree item's context value: `instance.<state>`, then `.jupyter` and `.ssh` when they apply. */
export function instanceContextValue(state: InstanceState, flags: { jupyter: boolean; ssh: boolean }): string {
  return ['instance', state, ...(flags.jupyter ? ['jupyter'] : []), ...(flags.ssh ? ['ssh'] : [])].join('.');
}
