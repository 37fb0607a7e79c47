import { describeStatus, isRunning } from '../../monitor/instanceStatus';
import type { Instance } from '../../vast/types';
import type { FlowContext } from '../flowContext';
import { formatPrice, gpuSummary } from '../offerPresentation';
import type { PickItem } from '../prompter';
import { CANCELLED, instanceName, runWithProgress, untilAborted } from './common';
import { connectRemoteSshFlow, copySshCommandFlow, waitForRunning } from './connect';

export const CONNECT_REMOTE_SSH = 'Connect with Remote-SSH';
export const COPY_SSH_COMMAND = 'Copy SSH Command';

interface InstanceItem extends PickItem {
  instance: Instance;
}

/**
 * The monitor's instances, refreshing first when it has none yet (the first command of a session).
 * Undefined (reported) when the list cannot be read.
 */
export async function loadInstances(ctx: FlowContext): Promise<Instance[] | undefined> {
  let snapshot = ctx.monitor.snapshot;
  if (snapshot.instances.size === 0) {
    const refreshed = await runWithProgress(ctx, 'Loading your instances', (_progress, signal) => untilAborted(ctx.monitor.refresh(), signal));
    if (refreshed === CANCELLED) return undefined;
    snapshot = refreshed;
    if (snapshot.lastError && snapshot.instances.size === 0) {
      ctx.log(`List instances failed [${snapshot.lastError.kind}]: ${snapshot.lastError.message}`);
      await ctx.prompter.notify('error', `Could not list your instances: ${snapshot.lastError.message}`);
      return undefined;
    }
  }
  return [...snapshot.instances.values()];
}

export function instanceItem(instance: Instance): InstanceItem {
  return {
    label: instanceName(instance),
    description: describeStatus(instance),
    detail: `${gpuSummary(instance.gpu_name, instance.num_gpus)} · ${formatPrice(instance.dph_total)}${instance.geolocation ? ` · ${instance.geolocation}` : ''}`,
    instance,
  };
}

/**
 * Wait Until Running: without an id, a pick among the instances that are not running. Then a
 * cancellable progress notification reporting each status change; cancelling stops waiting and
 * never touches the instance. Running → "Instance <label> (<id>) is running" with
 * "Connect with Remote-SSH" and "Copy SSH Command"; a failed wait → an error with its reason.
 * Resolves with the running instance, or undefined.
 */
export async function waitUntilRunningFlow(ctx: FlowContext, instanceId?: number, displayName?: string): Promise<Instance | undefined> {
  let id = instanceId;
  if (id === undefined) {
    const instances = await loadInstances(ctx);
    if (!instances) return undefined;
    const waiting = instances.filter((instance) => !isRunning(instance));
    if (waiting.length === 0) {
      await ctx.prompter.notify('info', instances.length === 0 ? 'You have no instances.' : 'All your instances are running.');
      return undefined;
    }
    const picked = await ctx.prompter.pick(waiting.map(instanceItem), {
      title: 'Wait Until Running',
      placeholder: 'Instance to wait for',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked || typeof picked !== 'object') return undefined;
    id = picked.instance.id;
  }
  const known = ctx.monitor.snapshot.instances.get(id);
  // A just-created instance is not in the list yet: its creator knows its name.
  const name = known ? instanceName(known) : (displayName ?? String(id));
  const instance = await waitForRunning(ctx, id, name);
  if (!instance) return undefined;
  ctx.log(`Instance ${instanceName(instance)} is running`);
  const action = await ctx.prompter.notify('info', `Instance ${instanceName(instance)} is running`, CONNECT_REMOTE_SSH, COPY_SSH_COMMAND);
  if (action === CONNECT_REMOTE_SSH) await connectRemoteSshFlow(ctx, instance);
  else if (action === COPY_SSH_COMMAND) await copySshCommandFlow(ctx, instance);
  return instance;
}
