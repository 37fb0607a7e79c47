import * as vscode from 'vscode';
import { clearApiKeyFlow, importCliKeyFlow, setApiKeyFlow, type KeyFlowDeps } from '../ui/apiKeyFlows';
import type { FlowContext } from '../ui/flowContext';
import { filterInstancesFlow } from '../ui/flows/filterInstances';
import { sortInstancesFlow } from '../ui/flows/sortInstances';
import type { Prompter } from '../ui/prompter';
import type { Instance } from '../vast/types';
import { InstanceLogDocuments } from './instanceLogDocuments';
import type { InstanceTree } from './instanceTree';
import type { OutputLog } from './outputLog';
import type { SessionManager } from './sessionManager';
import { errorMessage } from '../util/errorMessage';
import { COMMANDS, EXTENSION_ID, WALKTHROUGH_ID, type CommandId } from './contributions';

export interface CommandDeps {
  sessions: SessionManager;
  tree: InstanceTree;
  log: OutputLog;
  /** A flow context for the live session, or undefined (after telling the person) when there is none. */
  flowContext(): FlowContext | undefined;
  /** The prompter in use (tests replace it). */
  prompter(): Prompter;
  keyFlowDeps(): KeyFlowDeps;
}

type InstanceFlow = (ctx: FlowContext, instance: Instance) => Promise<unknown>;

// The flows load when a flow command first runs: in the shipped build they are a piece of their own
// (esbuild splitting), so activation parses none of them.
const flows = () => import('../ui/flowRuntime');
type Flows = Awaited<ReturnType<typeof flows>>;
type InstanceFlowName = { [K in keyof Flows]: Flows[K] extends InstanceFlow ? K : never }[keyof Flows];

/** The named flow on an instance, loaded with the others on first use. */
const instanceFlow =
  (name: InstanceFlowName): InstanceFlow =>
  async (ctx, instance) =>
    (await flows())[name](ctx, instance);

/** Every command the extension contributes, by id (package.json lists the same ids). */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { sessions, tree, log } = deps;
  const flow = (run: (ctx: FlowContext) => Promise<unknown>) => async () => {
    const ctx = deps.flowContext();
    if (ctx) await run(ctx);
  };
  /** Item commands get the tree element (an instance id); from elsewhere, a numeric id is accepted too. */
  const onInstance = (run: InstanceFlow) => async (element?: number) => {
    const ctx = deps.flowContext();
    if (!ctx) return;
    const instance = typeof element === 'number' ? tree.instance(element) : undefined;
    if (!instance) {
      void vscode.window.showWarningMessage('Vast.ai: pick an instance in the Vast.ai view first.');
      return;
    }
    await run(ctx, instance);
  };
  const setting = (value: boolean) => () =>
    vscode.workspace.getConfiguration('vastai').update('useSimulator', value, vscode.ConfigurationTarget.Global);

  const commands: Record<CommandId, (...args: never[]) => unknown> = {
    [COMMANDS.setApiKey]: () => setApiKeyFlow(deps.keyFlowDeps()),
    [COMMANDS.importCliKey]: () => importCliKeyFlow(deps.keyFlowDeps()),
    [COMMANDS.clearApiKey]: () => clearApiKeyFlow(deps.keyFlowDeps()),
    [COMMANDS.useSimulator]: setting(true),
    [COMMANDS.stopSimulator]: setting(false),
    [COMMANDS.refresh]: () => tree.refresh(),
    [COMMANDS.showLog]: () => log.show(),
    [COMMANDS.openWalkthrough]: () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${WALKTHROUGH_ID}`, false),
    [COMMANDS.filterInstances]: async () => {
      const text = await filterInstancesFlow(deps.prompter(), tree.filterText);
      if (text !== undefined) tree.setFilter(text);
    },
    [COMMANDS.clearInstanceFilter]: () => tree.setFilter(undefined),
    [COMMANDS.sortInstances]: async () => {
      const order = await sortInstancesFlow(deps.prompter(), tree.sortOrder);
      if (order) await vscode.workspace.getConfiguration('vastai.instances').update('sortBy', order, vscode.ConfigurationTarget.Global);
    },
    [COMMANDS.toggleGrouping]: () =>
      vscode.workspace.getConfiguration('vastai.instances').update('groupByState', !tree.groupedByState, vscode.ConfigurationTarget.Global),
    [COMMANDS.quickSearch]: flow(async (ctx) => (await flows()).quickSearchFlow(ctx)),
    [COMMANDS.searchOffers]: flow(async (ctx) => (await flows()).searchOffersFlow(ctx)),
    [COMMANDS.manageSshKeys]: flow(async (ctx) => (await flows()).manageSshKeysFlow(ctx)),
    [COMMANDS.batchSearch]: flow(async (ctx) => (await flows()).batchSearchFlow(ctx)),
    [COMMANDS.createInstance]: flow(async (ctx) => (await flows()).createInstanceFlow(ctx)),
    [COMMANDS.createMultiple]: flow(async (ctx) => (await flows()).createMultipleFlow(ctx)),
    [COMMANDS.waitUntilRunning]: async (element?: number) => {
      const ctx = deps.flowContext();
      if (ctx) await (await flows()).waitUntilRunningFlow(ctx, typeof element === 'number' ? element : undefined);
    },
    [COMMANDS.startInstance]: onInstance(instanceFlow('startInstanceFlow')),
    [COMMANDS.stopInstance]: onInstance(instanceFlow('stopInstanceFlow')),
    [COMMANDS.rebootInstance]: onInstance(instanceFlow('rebootInstanceFlow')),
    [COMMANDS.renameInstance]: onInstance(instanceFlow('renameInstanceFlow')),
    [COMMANDS.destroyInstance]: onInstance(instanceFlow('destroyInstanceFlow')),
    [COMMANDS.copySshCommand]: onInstance(instanceFlow('copySshCommandFlow')),
    [COMMANDS.connectRemoteSsh]: onInstance(instanceFlow('connectRemoteSshFlow')),
    [COMMANDS.openJupyter]: onInstance(instanceFlow('openJupyterFlow')),
    [COMMANDS.showInstanceLogs]: onInstance(instanceFlow('showLogsFlow')),
    [COMMANDS.refreshInstanceLogs]: (uri?: vscode.Uri) => {
      const id = InstanceLogDocuments.instanceIdOf(uri ?? vscode.window.activeTextEditor?.document.uri);
      return id !== undefined ? vscode.commands.executeCommand(COMMANDS.showInstanceLogs, id) : undefined;
    },
    [COMMANDS.simulatorThrottleHard]: () => {
      const simulator = sessions.current?.simulator;
      if (!simulator) return;
      simulator.limits.storm(60_000);
      log.warn('Simulator: every request now gets 429 for 60 s.');
      void tree.refresh();
    },
    [COMMANDS.simulatorFillAccount]: () => {
      const simulator = sessions.current?.simulator;
      if (!simulator) return;
      const missing = 45 - simulator.instances.list().length;
      if (missing > 0) simulator.instances.addMany(missing);
      log.info(`Simulator: added ${Math.max(0, missing)} instances in mixed states (45 on the account).`);
      void tree.refresh();
    },
    [COMMANDS.simulatorLowCredit]: () => {
      const simulator = sessions.current?.simulator;
      if (!simulator) return;
      simulator.account.setCredit(4);
      log.warn('Simulator: the credit is now $4.00.');
      void tree.refresh();
    },
    [COMMANDS.simulatorLingerDestroy]: () => {
      const simulator = sessions.current?.simulator;
      if (!simulator) return;
      simulator.instances.lingerNextDestroys(1);
      log.warn('Simulator: the next destroy answers success but leaves the instance listed (and billed).');
    },
    [COMMANDS.simulatorClearLimits]: () => {
      const simulator = sessions.current?.simulator;
      if (!simulator) return;
      simulator.limits.reset();
      log.info('Simulator: rate limits back to normal.');
      void tree.refresh();
    },
  };
  return Object.entries(commands).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        await sessions.start();
        return await handler(...args);
      } catch (error) {
        // Flows report their own failures; this catches the unexpected, so nothing fails silently.
        const message = errorMessage(error);
        log.error(`${id} failed: ${error instanceof Error && error.stack ? error.stack : message}`);
        void vscode.window.showErrorMessage(`Vast.ai: ${message}`);
      }
    }),
  );
}
