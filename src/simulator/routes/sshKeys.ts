import { parsePublicKey, sameKey } from '../../vast/sshPublicKey';
import { ApiError } from '../server/apiError';
import { jsonResponse } from '../server/response';
import { bodyObject, type RouteHandler, type RouteRequest, type SimState } from './route';

/** `GET /api/v0/ssh/`: the account's keys, an array of `{id, user_id, public_key, created_at}`. */
export const listAccountKeys: RouteHandler = (state) => jsonResponse(200, state.sshKeys.list());

/** `POST /api/v0/ssh/` with `{"ssh_key": "ssh-ed25519 …"}`: one public key line, nothing else. */
export const addAccountKey: RouteHandler = (state, request) => {
  const key = state.sshKeys.add(bodyObject(request.body).ssh_key);
  return jsonResponse(200, { success: true, key });
};

/** `DELETE /api/v0/ssh/{id}/`: off the account; instances that have it keep it. */
export const removeAccountKey: RouteHandler = (state, request) => {
  const id = request.pathId!;
  if (!state.sshKeys.remove(id)) throw new ApiError(404, 'not_found', `SSH key ${id} not found.`);
  return jsonResponse(200, { success: true });
};

/**
 * `GET /api/v0/instances/{id}/ssh/`: the keys the instance accepts, each saying whether it came from
 * the account at creation or was attached since.
 */
export const listInstanceKeys: RouteHandler = (state, request) => {
  const record = instanceRecord(state, request);
  return jsonResponse(200, { success: true, ssh_keys: record.sshKeys.map((key) => ({ ...key })) });
};

/** `POST /api/v0/instances/{id}/ssh/` with `{"ssh_key": …}`: the instance accepts it from now on. */
export const attachInstanceKey: RouteHandler = (state, request) => {
  const record = instanceRecord(state, request);
  const parsed = parsePublicKey(bodyObject(request.body).ssh_key);
  if (!parsed.ok) throw new ApiError(400, 'invalid_args', `ssh_key: ${parsed.reason}`);
  const known = record.sshKeys.find((key) => {
    const other = parsePublicKey(key.public_key);
    return other.ok && sameKey(other.key, parsed.key);
  });
  const entry = known ?? {
    id: 90_000 + record.sshKeys.length + 1,
    public_key: parsed.key.line,
    source: 'attached' as const,
    added_at: new Date(state.clock.now()).toISOString(),
  };
  if (!known) record.sshKeys.push(entry);
  // Vast answers with the key as a JSON string inside the JSON (vast-cli PR #255).
  return jsonResponse(200, { success: true, msg: 'SSH key added to instance.', key: JSON.stringify(entry) });
};

function instanceRecord(state: SimState, request: RouteRequest) {
  const id = Number(request.path.match(/\/instances\/(\d+)\/ssh/)?.[1]);
  const record = state.instances.recordOf(id);
  if (!record) throw new ApiError(404, 'no_such_instance', `Instance ${id} not found.`);
  return record;
}
