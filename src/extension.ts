import * as vscode from 'vscode';
import type { KeyFlowDeps } from './ui/apiKeyFlows';
import { findCliKey } from './ui/cliKeyImport';
import type { FlowContext } from './ui/flowContext';
import type { Prompter } from './ui/prompter';
import type { Session } from './ui/session';
import { systemClock } from './util/clock';
import { registerCommands } from './vscode/commands';
import { GlobalMemory } from './vscode/globalMemory';
import { InstanceLogDocuments } from './vscode/instanceLogDocuments';
import { MementoLimitMemory } from './vscode/mementoLimitMemory';
import { InstanceTree } from './vscode/instanceTree';
import { OutputLog } from './vscode/outputLog';
import { SecretKeyStore } from './vscode/secretKeyStore';
import { SessionManager } from './vscode/sessionManager';
import { SessionRuntimeLoader } from './vscode/sessionRuntimeLoader';
import { SessionWatch } from './vscode/sessionWatch';
import { readSettings } from './vscode/settings';
import { RateLimitStatusBar } from './vscode/statusBar';
import { VscodePrompter } from './vscode/vscodePrompter';
import { VscodeWorkbench } from './vscode/vscodeWorkbench';
import { COMMANDS } from './vscode/contributions';

/** Settings that change how the client or monitor is built; the others are read when used. */
const SESSION_SETTINGS = ['apiUrl', 'refreshInterval', 'searchCacheSeconds', 'requestIntervals', 'maxRetries', 'useSimulator', 'shareBudget'];

/** What `activate` returns: a seam for the integration tests (answer prompts, look at the session). */
export interface ExtensionApi {
  /** Replaces the prompter (QuickPicks, inputs, confirmations) until disposed. */
  usePrompter(prompter: Prompter): vscode.Disposable;
  session(): Session | undefined;
  statusBar: RateLimitStatusBar;
  tree: InstanceTree;
  /** Starts the session if nothing did yet; resolves once it is up for the current settings. */
  readonly ready: Promise<void>;
  /** How long `activate` took, from its first line to its return (ms). */
  activationMs: number;
}

/**
 * Only registration happens here: the session (SecretStorage read, first poll, the simulator in
 * demo mode) starts when the view is shown or a command runs (`sessions.start()`).
 */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const began = performance.now();
  const log = new OutputLog();
  // The client, monitor and sharing load on first use; every window (each has its own extension
  // host) and script on a key then shares one budget and poll.
  const runtime = new SessionRuntimeLoader(log);
  const store = new SecretKeyStore(context.secrets, () => readSettings().apiUrl);
  const limitMemory = new MementoLimitMemory(context.globalState);
  const sessions = new SessionManager(store, readSettings, systemClock, log, runtime, limitMemory);
  const tree = new InstanceTree(sessions, systemClock);
  const statusBar = new RateLimitStatusBar(sessions, systemClock);
  const memory = new GlobalMemory(context.globalState);
  const logDocuments = new InstanceLogDocuments();
  const workbench = new VscodeWorkbench(logDocuments);
  let prompter: Prompter = new VscodePrompter();

  /** The flow context of the live session, or undefined (quietly) without one. */
  const contextOf = (): FlowContext | undefined => {
    const session = sessions.current;
    if (!session) return undefined;
    return {
      client: session.client,
      monitor: session.monitor,
      prompter,
      workbench,
      settings: readSettings(),
      memory,
      clock: systemClock,
      simulated: session.simulated,
      watch: watch.current,
      log: (message) => log.info(message),
    };
  };
  const watch = new SessionWatch(sessions, memory, readSettings, contextOf, systemClock, log, runtime);

  const flowContext = (): FlowContext | undefined => {
    const session = sessions.current;
    if (!session) {
      void vscode.window
        .showInformationMessage('Vast.ai: set an API key first, or try the built-in simulator.', 'Set API Key', 'Try Simulator')
        .then((choice) => {
          if (choice === 'Set API Key') void vscode.commands.executeCommand(COMMANDS.setApiKey);
          if (choice === 'Try Simulator') void vscode.commands.executeCommand(COMMANDS.useSimulator);
        });
      return undefined;
    }
    return contextOf();
  };

  const keyFlowDeps = (): KeyFlowDeps => ({
    prompter,
    store,
    verify: async (key, signal) => (await runtime.load()).checkKeyWithVast(key, readSettings(), systemClock, signal, limitMemory),
    findCliKey: () => findCliKey(),
    apiUrl: readSettings().apiUrl,
    onKeyChanged: async () => {
      if (readSettings().useSimulator) {
        await vscode.workspace.getConfiguration('vastai').update('useSimulator', false, vscode.ConfigurationTarget.Global);
      }
      await sessions.reconnect();
    },
  });

  let following: vscode.Disposable | undefined;
  let watchingKey: { dispose(): void } | undefined;
  context.subscriptions.push(
    log,
    logDocuments,
    tree,
    statusBar,
    watch,
    { dispose: () => void sessions.dispose() },
    { dispose: () => following?.dispose() },
    { dispose: () => watchingKey?.dispose() },
    sessions.onDidChange((session) => {
      following?.dispose();
      watchingKey?.dispose();
      following = session ? log.follow(session) : undefined;
      watchingKey = session?.monitor.onDidChangeState((snapshot) => {
        if (snapshot.lastError?.kind === 'auth') sessions.markKeyRejected();
      });
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('vastai.shareBudget')) runtime.setSharing(readSettings().shareBudget);
      if (sessions.started && SESSION_SETTINGS.some((name) => event.affectsConfiguration(`vastai.${name}`))) void sessions.reconnect();
    }),
    ...registerCommands({ sessions, tree, log, flowContext, keyFlowDeps, prompter: () => prompter }),
  );

  // The view may be open already: start once activation has returned.
  const startWhenShown = () => {
    if (tree.view.visible) void sessions.start();
  };
  context.subscriptions.push(tree.view.onDidChangeVisibility(startWhenShown));
  setImmediate(startWhenShown);

  return {
    usePrompter(replacement) {
      const previous = prompter;
      prompter = replacement;
      return new vscode.Disposable(() => {
        prompter = previous;
      });
    },
    session: () => sessions.current,
    statusBar,
    tree,
    get ready() {
      return sessions.start();
    },
    activationMs: performance.now() - began,
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
