import { isVastApiError } from '../../api/errors';
import { describeStatus, isRunning, isTransitional } from '../../monitor/instanceStatus';
import type { Instance } from '../../vast/types';
import type { FlowContext } from '../flowContext';
import { jupyterAccess } from '../jupyterUrl';
import { formatPrice } from '../offerPresentation';
import { BACK } from '../prompter';
import { reportError } from '../reportError';
import { deleteSshHost, sshHostEntry, vastHostAlias, writeSshHost } from '../ssh/sshConfig';
import { instanceSshCommand, sshEndpoint } from '../ssh/sshEndpoint';
import { CANCELLED, instanceName, runWithProgress } from './common';
import { waitUntilRunningFlow } from './waitUntilRunning';

export const INSTALL_REMOTE_SSH = 'Install Remote-SSH';
export const COPY_SSH_COMMAND_ACTION = 'Copy SSH Command';
export const WAIT_UNTIL_RUNNING = 'Wait Until Running';
export const COPY_TUNNEL_COMMAND = 'Copy Tunnel Command';
export const OPEN_JUPYTER = 'Open Jupyter';
export const CONNECT = 'Connect';
/** Where Remote-SSH opens the new window: Vast images work as root. */
export const REMOTE_FOLDER = '/root';
const MAX_LABEL = 1024;

/**
 * Runs one write under a cancellable progress notification; reports failures. After it (or after
 * a cancel, which may have come too late) the monitor is told to look again soon.
 */
async function perform(ctx: FlowContext, what: string, progressTitle: string, write: (signal: AbortSignal) => Promise<void>): Promise<boolean> {
  try {
    const outcome = await runWithProgress(ctx, progressTitle, (_progress, signal) => write(signal));
    ctx.monitor.expectChange();
    if (outcome === CANCELLED) {
      ctx.log(`${what}: cancelled`);
      return false;
    }
    ctx.log(`${what}: done`);
    return true;
  } catch (error) {
    if (isVastApiError(error, 'outcome-unknown')) ctx.monitor.expectChange();
    await reportError(ctx, error, what);
    return false;
  }
}

/** Start: a stopped instance boots again; GPU billing resumes once it runs. */
export async function startInstanceFlow(ctx: FlowContext, instance: Instance): Promise<boolean> {
  const name = instanceName(instance);
  if (isRunning(instance)) {
    await ctx.prompter.notify('info', `Instance ${name} is already running.`);
    return false;
  }
  const done = await perform(ctx, `Start instance ${name}`, `Starting instance ${name}`, (signal) => ctx.client.startInstance(instance.id, signal));
  if (!done) return false;
  const action = await ctx.prompter.notify('info', `Instance ${name} is starting; GPU billing resumes once it runs.`, WAIT_UNTIL_RUNNING);
  if (action === WAIT_UNTIL_RUNNING) await waitUntilRunningFlow(ctx, instance.id);
  return true;
}

/** Stop, after a modal confirmation: processes stop, the disk is kept and still billed. */
export async function stopInstanceFlow(ctx: FlowContext, instance: Instance): Promise<boolean> {
  const name = instanceName(instance);
  if (instance.actual_status === 'stopped' && instance.intended_status === 'stopped') {
    await ctx.prompter.notify('info', `Instance ${name} is already stopped.`);
    return false;
  }
  const confirmed = await ctx.prompter.confirm(`Stop instance ${name}?`, {
    detail:
      'Everything running on it stops and its GPU is released (another renter may take it, so it might not start again at once). ' +
      `Its disk and data are kept, and the disk is still billed until you destroy the instance.${ctx.simulated ? '\n(simulated: no money is spent)' : ''}`,
    confirm: 'Stop',
  });
  if (!confirmed) return false;
  const done = await perform(ctx, `Stop instance ${name}`, `Stopping instance ${name}`, (signal) => ctx.client.stopInstance(instance.id, signal));
  if (done) await ctx.prompter.notify('info', `Instance ${name} is stopping; its disk is kept (and billed).`);
  return done;
}

/** Reboot, after a modal confirmation: the container restarts, the GPU stays reserved. */
export async function rebootInstanceFlow(ctx: FlowContext, instance: Instance): Promise<boolean> {
  const name = instanceName(instance);
  const confirmed = await ctx.prompter.confirm(`Reboot instance ${name}?`, {
    detail:
      'Its container restarts: running processes are killed and whatever is only in memory is lost. ' +
      `The disk is kept and the GPU stays reserved (and billed).${ctx.simulated ? '\n(simulated: no money is spent)' : ''}`,
    confirm: 'Reboot',
  });
  if (!confirmed) return false;
  const done = await perform(ctx, `Reboot instance ${name}`, `Rebooting instance ${name}`, (signal) => ctx.client.rebootInstance(instance.id, signal));
  if (done) await ctx.prompter.notify('info', `Instance ${name} is rebooting.`);
  return done;
}

/** Rename: the label, prefilled; empty clears it. */
export async function renameInstanceFlow(ctx: FlowContext, instance: Instance): Promise<boolean> {
  const current = instance.label ?? '';
  const typed = await ctx.prompter.input({
    title: `Rename Instance ${instance.id}`,
    prompt: 'New label (leave empty to clear it)',
    value: current,
    validate: (text) => (text.trim().length > MAX_LABEL ? `At most ${MAX_LABEL} characters (this is ${text.trim().length}).` : undefined),
  });
  if (typed === undefined || typed === BACK) return false;
  const label = typed.trim();
  if (label === current) return false;
  const name = instanceName(instance);
  const done = await perform(ctx, `Rename instance ${name}`, `Renaming instance ${name}`, (signal) => ctx.client.setLabel(instance.id, label, signal));
  if (done) await ctx.prompter.notify('info', label ? `Instance ${instance.id} is now "${label}".` : `Instance ${instance.id} has no label now.`);
  return done;
}

/**
 * Destroy, after a modal confirmation naming the instance and its price: the disk and its data
 * are deleted, which cannot be undone. Its SSH config entry is removed too.
 */
export async function destroyInstanceFlow(ctx: FlowContext, instance: Instance): Promise<boolean> {
  const name = instanceName(instance);
  const confirmed = await ctx.prompter.confirm(`Destroy instance ${name}, ${instance.gpu_name} ×${instance.num_gpus} at ${formatPrice(instance.dph_total)}?`, {
    detail:
      'Its disk and all data on it are deleted, and this cannot be undone. Billing for it stops.' +
      (ctx.simulated ? '\n(simulated: no money is spent)' : ''),
    confirm: 'Destroy',
  });
  if (!confirmed) return false;
  const done = await perform(ctx, `Destroy instance ${name}`, `Destroying instance ${name}`, (signal) => ctx.client.destroyInstance(instance.id, signal));
  if (!done) return false;
  // Verified by the next polls: an instance still listed after a few is marked "destroy pending".
  ctx.watch?.destroyed(instance.id);
  const remote = ctx.workbench.remoteSsh();
  if (remote) {
    try {
      const edit = await ctx.clock.trackIo(deleteSshHost(remote.configFile, vastHostAlias(instance.id)));
      if (edit.changed) ctx.log(`Removed Host ${vastHostAlias(instance.id)} from ${edit.file}`);
    } catch (error) {
      ctx.log(`Could not remove Host ${vastHostAlias(instance.id)} from ${remote.configFile}: ${(error as Error).message}`);
    }
  }
  await ctx.prompter.notify('info', `Instance ${name} destroyed.`);
  return true;
}

/** Copies `ssh -p PORT root@HOST` (direct when the machine maps port 22, else Vast's proxy). */
export async function copySshCommandFlow(ctx: FlowContext, instance: Instance): Promise<boolean> {
  const name = instanceName(instance);
  const command = instanceSshCommand(instance);
  if (!command) {
    await ctx.prompter.notify('warning', `Instance ${name} has no SSH address yet (${describeStatus(instance)}); try again once it runs.`);
    return false;
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
    if (action === WAIT_UNTIL_RUNNING) await waitUntilRunningFlow(ctx, instance.id);
    return false;
  }
  const endpoint = sshEndpoint(instance);
  if (!endpoint) {
    await ctx.prompter.notify('warning', `Instance ${name} has no SSH address yet; try again in a moment.`);
    return false;
  }
  const entry = sshHostEntry(instance.id, endpoint);
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
      await ctx.workbench.copyToClipboard(access.sshCommand);
      const next = await ctx.prompter.notify('info', `Copied: ${access.sshCommand}. Run it in a terminal, then open Jupyter.`, OPEN_JUPYTER);
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

/** Fetches the container's log (last 1000 lines) and opens it in an editor. */
export async function showLogsFlow(ctx: FlowContext, instance: Instance): Promise<boolean> {
  const name = instanceName(instance);
  try {
    const text = await runWithProgress(ctx, `Fetching the log of instance ${name}`, (_progress, signal) => ctx.client.instanceLogs(instance.id, { tail: 1000, signal }));
    if (text === CANCELLED) return false;
    if (!text.trim()) {
      await ctx.prompter.notify('info', `The log of instance ${name} is empty.`);
      return true;
    }
    await ctx.workbench.openDocument(text, 'log');
    return true;
  } catch (error) {
    await reportError(ctx, error, `Show the log of instance ${name}`);
    return false;
  }
}
