import { isVastApiError } from '../../api/errors';
import type { CreatedInstance, CreateInstanceOptions } from '../../api/vastClient';
import type { Instance, Offer } from '../../vast/types';
import { lateCommitWindowMs, lookForLateCommit } from '../../monitor/lateCommit';
import type { FlowContext } from '../flowContext';
import { formatPrice, gpuSummary } from '../offerPresentation';
import { BACK, type PickItem } from '../prompter';
import { reportError } from '../reportError';
import { CANCELLED, inputStep, instanceName, runSteps, runWithProgress, simulatedNote, type Cancelled, type Step } from './common';
import { autoStopStep } from '../autoStop/autoStopChoice';
import { autoStopScript, type AutoStopPlan } from '../autoStop/autoStopScript';
import { autoStopSentence, rentalKindSentence, runwaySentence } from './createSentences';
import { pickOffer } from './offerPicker';
import { SHOW_LOGS, showLogsFlow } from './connect';
import { announceRunning } from './waitUntilRunning';
import { WaitError } from '../../monitor/waitError';
import { errorMessage } from '../../util/errorMessage';
import { SETTING_LIMITS } from '../settings';

export const CREATE_TITLE = 'Create Instance';
export const OTHER_IMAGE = 'Other image…';
export const SEARCH_AGAIN = 'Search Again';
/** Vast's minimum disk, the same as the vastai.defaultDiskGb setting's. */
export const MIN_DISK_GB = SETTING_LIMITS.defaultDiskGb.min;
/** Vast's limit for on-start and args together. */
const MAX_ONSTART = 4096;
const HOURS_PER_MONTH = 30 * 24;

/** What the create steps ask for (shared with Create Multiple Instances). */
export interface InstanceSettings {
  image?: string;
  diskGb: number;
  label: string;
  onstart: string;
}

interface ImageItem extends PickItem {
  /** Undefined for "Other image…". */
  image?: string;
}

/** Why an image name is unusable, or undefined. */
export function validateImage(text: string): string | undefined {
  const image = text.trim();
  if (!image) return 'Enter a Docker image, e.g. pytorch/pytorch:latest.';
  if (/\s/.test(image)) return 'A Docker image name has no spaces (e.g. pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime).';
  if (image.length > 1024) return 'The image name is longer than 1024 characters.';
  return undefined;
}

/** Image: recent ones first, then the default setting, then "Other image…" (or type one). */
export function imageStep(ctx: FlowContext, state: InstanceSettings): Step {
  return async (at) => {
    for (;;) {
      const recent = ctx.memory.recentImages().filter((image) => !validateImage(image));
      const items: ImageItem[] = recent.map((image) => ({ label: image, description: 'recent', image }));
      const fallback = ctx.settings.defaultImage.trim();
      if (fallback && !recent.includes(fallback)) items.push({ label: fallback, description: 'default (vastai.defaultImage)', image: fallback });
      items.push({ label: OTHER_IMAGE, description: 'type any Docker image', alwaysShow: true });
      const current = state.image;
      if (current && !items.some((item) => item.image === current)) items.unshift({ label: current, image: current });
      const picked = await ctx.prompter.pick<ImageItem>(
        items.map((item) => ({ ...item, picked: current !== undefined && item.image === current })),
        {
          ...at,
          placeholder: 'Docker image to run (or type one)',
          custom: (typed) => (validateImage(typed) ? undefined : { label: typed.trim(), description: 'use this image', image: typed.trim() }),
        },
      );
      if (picked === undefined || picked === BACK) return picked;
      if (picked.image) {
        state.image = picked.image;
        return 'next';
      }
      const typed = await ctx.prompter.input({
        ...at,
        prompt: 'Docker image, e.g. pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime or vastai/base-image:cuda-12.4.1-auto',
        value: state.image ?? '',
        validate: validateImage,
      });
      // A sub-prompt of this step: Back, and Escape too (step 1 has no Back button), return to the list.
      if (typed === undefined || typed === BACK) continue;
      state.image = typed.trim();
      return 'next';
    }
  };
}

/** Why a disk size is unusable, or undefined. */
export function validateDisk(text: string, maxGb?: number): string | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return 'Enter the disk size as a whole number of GB, e.g. 40.';
  const gb = Number(trimmed);
  if (gb < MIN_DISK_GB) return `The disk must be at least ${MIN_DISK_GB} GB.`;
  if (maxGb !== undefined && Number.isFinite(maxGb) && maxGb >= MIN_DISK_GB && gb > maxGb) return `This machine offers at most ${Math.floor(maxGb)} GB of disk.`;
  if (gb > 100_000) return 'That is more than 100 TB: enter the size in GB.';
  return undefined;
}

export function diskStep(ctx: FlowContext, state: InstanceSettings, maxGb?: number): Step {
  return inputStep(
    ctx,
    () => ({
      prompt: `Disk size in GB (at least ${MIN_DISK_GB}${maxGb && maxGb >= MIN_DISK_GB ? `, at most ${Math.floor(maxGb)} on this machine` : ''}); billed from creation until destroyed`,
      value: String(state.diskGb),
      validate: (text) => validateDisk(text, maxGb),
    }),
    (text) => {
      state.diskGb = Number(text.trim());
    },
  );
}

export function labelStep(ctx: FlowContext, state: InstanceSettings, options: { prompt: string; maxLength: number; placeholder?: string }): Step {
  return inputStep(
    ctx,
    () => ({
      prompt: options.prompt,
      placeholder: options.placeholder,
      value: state.label,
      validate: (text) => (text.trim().length > options.maxLength ? `At most ${options.maxLength} characters (this is ${text.trim().length}).` : undefined),
    }),
    (text) => {
      state.label = text.trim();
    },
  );
}

export function onstartStep(ctx: FlowContext, state: InstanceSettings): Step {
  return inputStep(
    ctx,
    () => ({
      prompt: 'On-start script (optional): shell commands run each time the instance boots',
      placeholder: 'e.g. pip install -r requirements.txt',
      value: state.onstart,
      validate: (text) => (text.length > 4096 ? `At most 4096 characters (this is ${text.length}).` : undefined),
    }),
    (text) => {
      state.onstart = text.trim();
    },
  );
}

/**
 * The offer's $/h for another disk size: `dph_total` prices storage at the disk the search was
 * made with (`pricedDiskGb`); `storage_cost` is $/GB/month.
 */
export function priceWithDisk(offer: Offer, diskGb: number, pricedDiskGb: number): number {
  if (diskGb === pricedDiskGb || !Number.isFinite(offer.storage_cost)) return offer.dph_total;
  return Math.max(0, offer.dph_total + (offer.storage_cost * (diskGb - pricedDiskGb)) / HOURS_PER_MONTH);
}

/** "Billing starts when it runs ...": said in every confirmation before money is spent. */
export function billingSentence(ctx: FlowContext, plural = false): string {
  const it = plural ? 'each instance' : 'the instance';
  return (
    `Billing starts when ${it} is running and continues until you destroy it; ` +
    `the disk is billed from creation, and also while stopped.${simulatedNote(ctx, '\n')}`
  );
}

/**
 * Create Instance: without an offer, first the search. Then image (1/4), disk GB (2/4), label
 * (3/4), on-start script (4/4), a modal confirmation naming GPU, location and price, the create
 * under a progress notification, and the wait until it runs.
 * Resolves with the new instance's id, or undefined when cancelled or the create failed.
 */
export async function createInstanceFlow(ctx: FlowContext, offer?: Offer): Promise<number | undefined> {
  const chosen = offer ?? (await pickOffer(ctx));
  if (!chosen) return undefined;
  const state: InstanceSettings & { autoStop?: AutoStopPlan } = { diskGb: ctx.settings.defaultDiskGb, label: '', onstart: '' };
  const title = `${CREATE_TITLE}: ${gpuSummary(chosen.gpu_name, chosen.num_gpus)}, ${formatPrice(chosen.dph_total)}`;
  const steps = [
    imageStep(ctx, state),
    diskStep(ctx, state, chosen.disk_space),
    labelStep(ctx, state, { prompt: 'Label (optional, up to 256 characters): shown in the instance list', maxLength: 256, placeholder: 'e.g. finetune-llama' }),
    onstartStep(ctx, state),
    autoStopStep(ctx, state),
  ];
  if ((await runSteps(title, steps)) !== 'done') return undefined;
  const image = state.image!;
  const price = priceWithDisk(chosen, state.diskGb, ctx.settings.defaultDiskGb);
  const location = chosen.geolocation || 'an unknown location';
  let onstart = state.onstart;
  if (state.autoStop) {
    // The watchdog goes first: the person's own commands may never return.
    onstart = `${autoStopScript(state.autoStop, { apiUrl: ctx.client.baseUrl })}${state.onstart}`;
    if (onstart.length > MAX_ONSTART) {
      await ctx.prompter.notify('error', `With auto-stop, the on-start script is ${onstart.length} characters; Vast allows ${MAX_ONSTART}. Shorten your script (by ${onstart.length - MAX_ONSTART}) or create without auto-stop.`);
      return undefined;
    }
  }
  const confirmed = await ctx.prompter.confirm(`Rent ${gpuSummary(chosen.gpu_name, chosen.num_gpus)} in ${location} for ${formatPrice(price)}?`, {
    detail:
      `Offer ${chosen.id} · ${image} · ${state.diskGb} GB disk${state.label ? ` · label "${state.label}"` : ''}.\n` +
      `${rentalKindSentence(undefined, price)}\n` +
      (state.autoStop ? `${autoStopSentence(state.autoStop)}\n` : '') +
      runwaySentence(ctx, price) +
      billingSentence(ctx),
    confirm: 'Create Instance',
  });
  if (!confirmed) return undefined;

  const options: CreateInstanceOptions = { image, diskGb: state.diskGb };
  if (state.label) options.label = state.label;
  if (onstart) options.onstart = onstart;
  const startedAt = ctx.clock.now();
  const known = new Set(ctx.monitor.snapshot.instances.keys());
  const displayName = state.label ? `instance ${state.label}` : 'an instance';
  // One notification from the request to "running": the create, then the wait, with one Cancel
  // whose meaning changes once the instance exists (it then stops the waiting, not the instance).
  let instanceId: number | undefined;
  let outcome: Instance | Cancelled;
  try {
    outcome = await runWithProgress(ctx, `Creating ${displayName}: ${gpuSummary(chosen.gpu_name, chosen.num_gpus)}${simulatedNote(ctx)}`, async (progress, signal) => {
      progress.report(`sending the request for offer ${chosen.id}…`);
      const created: CreatedInstance = await ctx.client.createInstance(chosen.id, options, signal);
      instanceId = created.instanceId;
      ctx.log(`Created instance ${instanceId} from offer ${chosen.id} (${image}, ${state.diskGb} GB)`);
      ctx.monitor.expectChange();
      void ctx.memory.rememberImage(image).catch((error) => ctx.log(`Could not remember the image ${image}: ${errorMessage(error)}`));
      const keepsBilling = `Cancel only stops waiting: instance ${instanceId} keeps running and billing.`;
      progress.report(`created (${instanceId}); waiting for it to run. ${keepsBilling}`);
      return ctx.monitor.waitUntilRunning(instanceId, { signal, onProgress: (update) => progress.report(`${update.status}. ${keepsBilling}`) });
    });
  } catch (error) {
    if (instanceId === undefined) {
      if (isVastApiError(error, 'outcome-unknown')) ctx.monitor.expectChange();
      const gone = isVastApiError(error, 'not-found');
      const action = await reportError(ctx, error, `Create instance from offer ${chosen.id}`, ...(gone ? [SEARCH_AGAIN] : []));
      if (action === SEARCH_AGAIN) return createInstanceFlow(ctx);
      return undefined;
    }
    const name = instanceName({ id: instanceId, label: options.label ?? null });
    const last = error instanceof WaitError ? error.instance : undefined;
    const action = await reportError(ctx, error, `Wait for instance ${name}`, ...(last ? [SHOW_LOGS] : []));
    if (action === SHOW_LOGS && last) await showLogsFlow(ctx, last);
    return instanceId;
  }
  if (outcome === CANCELLED) {
    if (instanceId === undefined) {
      await checkCancelledCreate(ctx, options, startedAt, known);
      return undefined;
    }
    const name = instanceName({ id: instanceId, label: options.label ?? null });
    ctx.log(`Wait for instance ${name}: cancelled (the instance is left as it is)`);
    await ctx.prompter.notify('info', `Stopped waiting. Instance ${name} keeps starting, and is billed until you stop or destroy it.`);
    return instanceId;
  }
  await announceRunning(ctx, outcome);
  return instanceId;
}

/**
 * The person cancelled while the create was queued or in flight. If it had reached Vast, the
 * instance exists (or appears a little later: a create can commit after its request was given
 * up) and is billed. Looks in polls that start after the cancel, for the request timeout plus two
 * polls, for a new instance (not listed before, same image and label), and says what it found.
 */
async function checkCancelledCreate(ctx: FlowContext, options: CreateInstanceOptions, startedAt: number, known: ReadonlySet<number>): Promise<void> {
  ctx.log('Create instance: cancelled; checking whether the request had already reached Vast.ai');
  ctx.monitor.expectChange();
  const cancelledAt = ctx.clock.now();
  const matches = (instance: Instance) =>
    !known.has(instance.id) &&
    instance.image_uuid === options.image &&
    (instance.label ?? '') === (options.label ?? '') &&
    (instance.start_date === null || instance.start_date * 1000 >= startedAt - 60_000);
  let found: Instance | undefined | Cancelled;
  try {
    found = await runWithProgress(ctx, 'Create cancelled: checking whether it reached Vast.ai anyway…', (_progress, signal) =>
      lookForLateCommit(ctx.monitor, ctx.clock, matches, {
        since: cancelledAt,
        windowMs: lateCommitWindowMs(ctx.client.requestTimeoutMs),
        recheckMs: 5000,
        signal,
      }),
    );
  } catch (error) {
    await ctx.prompter.notify(
      'warning',
      `Creating was cancelled, but the request may already have reached Vast.ai, and the instance list cannot be read now (${errorMessage(error)}). Check the instance list before retrying.`,
    );
    return;
  }
  if (found === CANCELLED) {
    await ctx.prompter.notify('warning', 'Creating was cancelled; the check for an instance made anyway was stopped too. Check the instance list before retrying.');
    return;
  }
  if (found) {
    ctx.log(`Create instance: the cancelled create had reached Vast.ai: instance ${found.id}`);
    await ctx.prompter.notify(
      'warning',
      `Creating was cancelled, but the request had already reached Vast.ai: instance ${instanceName(found)} was made anyway, and is billed. Destroy it if you do not want it.`,
    );
    return;
  }
  ctx.log('Create instance: the cancelled create did not reach Vast.ai');
  await ctx.prompter.notify('info', 'Creating was cancelled: no instance was made.');
}
