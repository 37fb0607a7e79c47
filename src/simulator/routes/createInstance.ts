import type { LaunchRequest } from '../instances/store';
import { ApiError } from '../server/apiError';
import { jsonResponse } from '../server/response';
import { bodyObject, type RouteHandler } from './route';

const MAX_IMAGE = 1024;
const MAX_LABEL = 256;
const MAX_STARTUP = 4096;
const MIN_DISK_GB = 8;
const MAX_ENV_ENTRY = 256;
const MAX_ENV_TOTAL = 32_768;
const RUNTYPE_TOKENS = new Set([
  'ssh', 'jupyter', 'args', 'ssh_proxy', 'ssh_direct', 'ssh_direc', 'jupyter_proxy', 'jupyter_direct', 'jupyter_direc',
]);

/**
 * `PUT /api/v0/asks/{offer_id}/`. The body is checked first (400s), then the offer (404 if unknown,
 * rented or unlisted). On success the offer is rented, so a second create on it gets the 404.
 */
export const createInstance: RouteHandler = (state, request) => {
  const offerId = request.pathId!;
  const launch = parseCreateBody(request.body, offerId);
  if (!state.offers.isAvailable(offerId)) {
    throw new ApiError(404, 'no_such_ask', 'error 404/3603: no_such_ask  Instance type no longer available', { ask_id: offerId });
  }
  const record = state.instances.launch(state.offers.get(offerId)!, launch);
  return jsonResponse(200, { success: true, new_contract: record.id, instance_api_key: record.instanceApiKey });
};

export function parseCreateBody(raw: unknown, offerId: number): LaunchRequest {
  const extra = { ask_id: offerId };
  const invalid = (message: string, code = 'invalid_args') => new ApiError(400, code, message, extra);
  const body = bodyObject(raw, extra);

  const image = body.image;
  if (typeof image !== 'string' || image.trim() === '') throw invalid('image is required');
  if (image.length > MAX_IMAGE) throw invalid(`image is longer than ${MAX_IMAGE} characters`);

  // Vast documents 8 GB as the default and the minimum.
  const diskGb = body.disk === undefined ? MIN_DISK_GB : Number(body.disk);
  if (typeof body.disk === 'boolean' || !Number.isFinite(diskGb) || diskGb < MIN_DISK_GB) {
    throw invalid(`disk must be at least ${MIN_DISK_GB} GB`);
  }

  const label = optionalString(body.label, 'label', invalid);
  if (label !== null && label.length > MAX_LABEL) throw invalid(`label is longer than ${MAX_LABEL} characters`);

  const onstart = optionalString(body.onstart, 'onstart', invalid);
  const argsStr = optionalString(body.args_str, 'args_str', invalid);
  if (body.args !== undefined && (!Array.isArray(body.args) || body.args.some((a) => typeof a !== 'string'))) {
    throw invalid('args must be a list of strings');
  }
  const args = (body.args as string[] | undefined) ?? (argsStr ? argsStr.split(/\s+/).filter(Boolean) : []);
  const startupLength = (onstart ?? '').length + args.join(' ').length + (argsStr ?? '').length;
  if (startupLength > MAX_STARTUP) throw invalid(`onstart and args together are longer than ${MAX_STARTUP} characters`);

  let bidPrice: number | null = null;
  if (body.price !== undefined && body.price !== null) {
    bidPrice = Number(body.price);
    if (typeof body.price === 'boolean' || !Number.isFinite(bidPrice) || bidPrice < 0.001 || bidPrice > 128) {
      throw invalid('price must be between 0.001 and 128 $/h', 'invalid_price');
    }
  }

  const target = body.target_state ?? 'running';
  if (target !== 'running' && target !== 'stopped') throw invalid('target_state must be running or stopped');

  return {
    image,
    diskGb,
    label,
    onstart,
    runtype: parseRuntype(body.runtype, args.length > 0, invalid),
    args,
    env: parseEnv(body.env, invalid),
    bidPrice,
    target,
  };
}

function optionalString(value: unknown, name: string, invalid: (m: string) => ApiError): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(`${name} must be a string`);
  return value;
}

/** Space-separated tokens as the CLI sends them ("ssh_direc ssh_proxy"); omitted → ssh, or args with args. */
function parseRuntype(value: unknown, hasArgs: boolean, invalid: (m: string) => ApiError): string {
  if (value === undefined || value === null || value === '') return hasArgs ? 'args' : 'ssh';
  if (typeof value !== 'string') throw invalid('runtype must be a string');
  const unknown = value.split(/\s+/).filter((token) => token && !RUNTYPE_TOKENS.has(token));
  if (unknown.length) throw invalid(`unknown runtype ${unknown.join(' ')}`);
  return value.trim();
}

/** The CLI's object form (`{"HF_TOKEN": "x", "-p 8000:8000": "1"}`) or the OpenAPI docker-flag string. */
function parseEnv(value: unknown, invalid: (m: string) => ApiError): Record<string, string> {
  if (value === undefined || value === null) return {};
  let env: Record<string, string>;
  if (typeof value === 'string') env = envFromFlags(value);
  else if (typeof value === 'object' && !Array.isArray(value)) {
    env = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  } else throw invalid('env must be an object or a string of docker flags');
  let total = 0;
  for (const [key, val] of Object.entries(env)) {
    const size = key.length + val.length;
    if (size > MAX_ENV_ENTRY) throw invalid(`env entry ${key.slice(0, 32)} is longer than ${MAX_ENV_ENTRY} characters`);
    total += size;
  }
  if (total > MAX_ENV_TOTAL) throw invalid(`env is longer than ${MAX_ENV_TOTAL} characters`);
  return env;
}

function envFromFlags(flags: string): Record<string, string> {
  const env: Record<string, string> = {};
  const tokens = flags.split(/\s+/).filter(Boolean);
  for (let i = 0; i < tokens.length; i++) {
    const flag = tokens[i];
    const value = tokens[i + 1];
    if (flag === '-e' && value) {
      const eq = value.indexOf('=');
      env[eq < 0 ? value : value.slice(0, eq)] = eq < 0 ? '' : value.slice(eq + 1);
      i++;
    } else if (flag.startsWith('-') && value) {
      env[`${flag} ${value}`] = '1';
      i++;
    }
  }
  return env;
}
