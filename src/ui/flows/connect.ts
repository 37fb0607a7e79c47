import { describeStatus, isRunning, isTransitional } from '../../monitor/instanceStatus';
import { WaitError } from '../../monitor/waitError';
import type { Instance } from '../../vast/types';
import type { FlowContext } from '../flowContext';
import { jupyterAccess } from '../jupyterUrl';
import { reportError } from '../reportError';
import { sshHostEntry, writeSshHost } from '../ssh/sshConfig';
import { instanceSshCommand, sshEndpoint } from '../ssh/sshEndpoint';
import { withIdentity } from '../ssh/sshKeys';
import { ensureSshKeyFlow } from './sshKeySetup';
import { CANCELLED, instanceName, runWithProgress } from './common';

// Getting onto an instance: SSH (copy the command, or Remote-SSH), Jupyter, its log, and the wait
// for it to run that connecting may need first.

export const INSTALL_REMOTE_SSH = 'Install Remote-SSH';
export const COPY_SSH_COMMAND_ACTION = 'Copy SSH Command';
export const WAIT_UNTIL_RUNNING = 'Wait Until Running';
export const COPY_TUNNEL_COMMAND = 'Copy Tunnel Command';
export const OPEN_JUPYTER = 'Open Jupyter';
export const CONNECT = 'Connect';
export const SHOW_LOGS = 'Show Logs';
/** Where Remote-SSH opens the new window: Vast images work as root. */
export const REMOTE_FOLDER = '/root';

/**
 * Waits for instance `id` under a cancellable progress notification reporting each status change.
 * Cancelling stops waiting and never touches the instance; a failed wait is reported with its
 * reason, offering the instance's log. Resolves with the running instance, or undefined.
 */
export async function waitForRunning(ctx: FlowContext, id: number, name: string): Promise<Instance | undefined> {
  let instance: Instance | typeof CANCELLED;
  try {
    instance = await runWithProgress(ctx, `Waiting for instance ${name} to run`, (progress, signal) =>
      ctx.monitor.waitUntilRunning(id, { signal, onProgress: (update) => progress.report(update.status) }),
    );
  } catch (error) {
    const last = error instanceof WaitError ? error.instance : undefined;
    const action = await reportError(ctx, error, `Wait for instance ${name}`, ...(last ? [SHOW_LOGS] : []));
    if (action === SHOW_LOGS && last) await showLogsFlow(ctx, last);
    return undefined;
  }
  if (instance === CANCELLED) {
    ctx.log(`Wait for instance ${name}: cancelled (the instance is left as it is)`);
    return undefined;
  }
  return instance;
}

/** Copies `ssh -p PORT root@HOST` (direct when the machine maps port 22, else Vast's proxy). */
export async function copySshCommandFlow(ctx: FlowContext, instance: Instance): Promise<boolean> {
  const name = instanceName(instance);
  let command = instanceSshCommand(instance);
  if (!command) {
    await ctx.prompter.notify('warning', `Instance ${name} has no SSH address yet (${describeStatus(instance)}); try again once it runs.`);
    return false;
  }
  if (isRunning(instance)) {
    // So that the command works the first time: the instance must accept a key on this computer.
    const key = await ensureSshKeyFlow(ctx, instance);
    if (!key) return false;
    command = withIdentity(command, key.identityFile);
  }
  try {
    await ctx.workbench.copyToClipboard(command);
  } catch (error) {
    await reportError(ctx, error, 'Copy the SSH command');
    return false;
  }
  const note = isRunning(instance) ? '' : ` (instance ${name} is ${instance.actual_status ?? 'provisioning'} now)`;
  await ctx.prompter.notify('info', `Copied: ${command}${note}`);
  return true;
}

/**
 * Connect with Remote-SSH: writes (or updates) `Host vast-<id>` in the SSH config Remote-SSH
 * reads, then opens a window on it. Without a Remote-SSH extension, says so and offers to install
 * one or to copy the SSH command.
 */
export async function connectRemoteSshFlow(ctx: FlowContext, instance: Instance): Promise<boolean> {
  const name = instanceName(instance);
  const remote = ctx.workbench.remoteSsh();
  if (!remote) {
    const action = await ctx.prompter.notify(
      'warning',
      `Connecting to instance ${name} needs the Remote-SSH extension, which is not installed. Install it, or copy the SSH command for a terminal.`,
      INSTALL_REMOTE_SSH,
      COPY_SSH_COMMAND_ACTION,
    );
    if (action === INSTALL_REMOTE_SSH) {
      try {
        await ctx.workbench.installRemoteSsh();
      } catch (error) {
        await reportError(ctx, error, 'Install Remote-SSH');
        return false;
      }
      if (ctx.workbench.remoteSsh()) {
        const next = await ctx.prompter.notify('info', `Remote-SSH is installed. Connect to instance ${name} now?`, CONNECT);
        if (next === CONNECT) return connectRemoteSshFlow(ctx, instance);
      }
    } else if (action === COPY_SSH_COMMAND_ACTION) {
      await copySshCommandFlow(ctx, instance);
    }
    return false;
  }
  if (!isRunning(instance)) {
    const transitional = isTransitional(instance);
    const action = await ctx.prompter.notify(
      'warning',
      `Instance ${name} is not running (${describeStatus(instance)}); ${transitional ? 'wait until it runs' : 'start it first'}, then connect.`,
      ...(transitional ? [WAIT_UNTIL_RUNNING] : []),
    );
    if (action !== WAIT_UNTIL_RUNNING) return false;
    // They asked to connect: once it runs, connect without asking again.
    const running = await waitForRunning(ctx, instance.id, name);
    return running ? connectRemoteSshFlow(ctx, running) : false;
  }
  const endpoint = sshEndpoint(instance);
  if (!endpoint) {
    await ctx.prompter.notify('warning', `Instance ${name} has no SSH address yet; try again in a moment.`);
    return false;
  }
  const key = await ensureSshKeyFlow(ctx, instance);
  if (!key) return false;
  const entry = { ...sshHostEntry(instance.id, endpoint), identityFile: key.identityFile };
  try {
    const edit = await ctx.clock.trackIo(writeSshHost(remote.configFile, entry));
    ctx.log(
      edit.changed
        ? `${edit.created ? 'Created' : 'Updated'} ${edit.file}: Host ${entry.alias} → ${endpoint.user}@${endpoint.host}:${endpoint.port} (${endpoint.kind})`
        : `Host ${entry.alias} in ${edit.file} is up to date`,
    );
  } catch (error) {
    await reportError(ctx, error, `Write Host ${entry.alias} to ${remote.configFile}`);
    return false;
  }
  try {
    await ctx.workbench.openRemoteWindow(entry.alias, REMOTE_FOLDER);
  } catch (error) {
    await reportError(ctx, error, `Open a Remote-SSH window on ${entry.alias}`);
    return false;
  }
  return true;
}

/** Opens Jupyter (with its token) when the instance runs with a Jupyter runtype. */
export async function openJupyterFlow(ctx: FlowContext, instance: Instance): Promise<boolean> {
  const name = instanceName(instance);
  const access = jupyterAccess(instance);
  if (access.kind === 'none') {
    await ctx.prompter.notify('warning', `Jupyter is not available on instance ${name}: ${access.reason}.`);
    return false;
  }
  try {
    if (access.kind === 'direct') {
      await ctx.workbench.openExternal(access.url);
      ctx.log(`Opened Jupyter of instance ${name}`);
      return true;
    }
    const action = await ctx.prompter.notify(
      'info',
      `Instance ${name} has no public Jupyter port: forward it over SSH. Copy the tunnel command, run it in a terminal, then open Jupyter.`,
      COPY_TUNNEL_COMMAND,
      OPEN_JUPYTER,
    );
    if (action === COPY_TUNNEL_COMMAND) {
      const key = await ensureSshKeyFlow(ctx, instance);
      if (!key) return false;
      const tunnel = withIdentity(access.sshCommand, key.identityFile);
      await ctx.workbench.copyToClipboard(tunnel);
      const next = await ctx.prompter.notify('info', `Copied: ${tunnel}. Run it in a terminal, then open Jupyter.`, OPEN_JUPYTER);
      if (next !== OPEN_JUPYTER) return false;
    } else if (action !== OPEN_JUPYTER) {
      return false;
    }
    await ctx.workbench.openExternal(access.url);
    return true;
  } catch (error) {
    await reportError(ctx, error, `Open Jupyter on instance ${name}`);
    return false;
  }
}

/** Fetches the container's log (last 1000 lines) into the read-only logs editor (refreshed in place when open). */
export async function showLogsFlow(ctx: FlowContext, instance: Instance): Promise<boolean> {
  const name = instanceName(instance);
  try {
    const text = await runWithProgress(ctx, `Fetching the log of instance ${name}`, (_progress, signal) => ctx.client.instanceLogs(instance.id, { tail: 1000, signal }));
    if (text === CANCELLED) return false;
    const shown = text.trim() ? text : `(The log of instance ${name} is empty: its container has written nothing yet.)\n`;
    await ctx.workbench.showInstanceLogs(instance.id, name, shown);
    return true;
  } catch (error) {
    await reportError(ctx, error, `Show the log of instance ${name}`);
    return false;
  }
}
