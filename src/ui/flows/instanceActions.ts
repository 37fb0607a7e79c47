import { isVastApiError } from '../../api/errors';
import { describeStatus, isRunning, isTransitional } from '../../monitor/instanceStatus';
import type { Instance } from '../../vast/types';
import type { FlowContext } from '../flowContext';
import { formatPrice, gpuSummary } from '../offerPresentation';
import { BACK } from '../prompter';
import { reportError } from '../reportError';
import { deleteSshHost, vastHostAlias } from '../ssh/sshConfig';
import { CANCELLED, instanceName, runWithProgress, simulatedNote } from './common';
import { waitUntilRunningFlow } from './waitUntilRunning';
import { errorMessage } from '../../util/errorMessage';

export const WAIT_UNTIL_RUNNING = 'Wait Until Running';
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
      `Its disk and data are kept, and the disk is still billed until you destroy the instance.${simulatedNote(ctx, '\n')}`,
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
      `The disk is kept and the GPU stays reserved (and billed).${simulatedNote(ctx, '\n')}`,
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
  if (!(await confirmDestroy(ctx, instance))) return false;
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
      ctx.log(`Could not remove Host ${vastHostAlias(instance.id)} from ${remote.configFile}: ${errorMessage(error)}`);
    }
  }
  await ctx.prompter.notify('info', `Instance ${name} destroyed.`);
  return true;
}

/**
 * Destroying cannot be undone, so Enter alone never does it. A running (or starting) instance asks
 * for its name typed, as GitHub does for deleting a repository; any other gets a pick whose first,
 * highlighted answer keeps it.
 */
async function confirmDestroy(ctx: FlowContext, instance: Instance): Promise<boolean> {
  const name = instanceName(instance);
  const what = `${gpuSummary(instance.gpu_name, instance.num_gpus)} at ${formatPrice(instance.dph_total)}`;
  const consequence = `Its disk and all data on it are deleted; this cannot be undone. Billing for it stops.${simulatedNote(ctx, ' ')}`;
  if (isRunning(instance) || isTransitional(instance)) {
    const expected = instance.label?.trim() || String(instance.id);
    const typed = await ctx.prompter.input({
      title: `Destroy instance ${name}? It is ${instance.actual_status ?? 'starting'}: ${what}`,
      prompt: `${consequence} Type ${expected} to destroy it; Escape keeps it.`,
      placeholder: expected,
      validate: (value) => (value.trim() === expected ? undefined : `Type ${expected} exactly to destroy it, or press Escape to keep it.`),
    });
    return typeof typed === 'string' && typed.trim() === expected;
  }
  const keep = { label: 'Keep it', description: 'destroy nothing' };
  const destroy = { label: `Destroy ${name}`, description: `${describeStatus(instance)} · ${what}`, detail: consequence };
  const picked = await ctx.prompter.pick([keep, destroy], { title: `Destroy instance ${name}?`, placeholder: consequence });
  return picked === destroy;
}
