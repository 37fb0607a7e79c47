import { ApiError } from '../server/apiError';
import { jsonResponse } from '../server/response';
import { bodyObject, type RouteHandler } from './route';

const MAX_LABEL = 1024;

/**
 * `PUT /api/v0/instances/{id}/` with `{"state": "running"|"stopped"}` (start/stop) and/or
 * `{"label": "..."}`. Both may be sent at once; at least one is required.
 */
export const manageInstance: RouteHandler = (state, request) => {
  const id = request.pathId!;
  if (!state.instances.has(id)) throw new ApiError(404, 'no_such_instance', `Instance ${id} not found.`);
  const body = bodyObject(request.body);
  const hasState = 'state' in body;
  const hasLabel = 'label' in body;
  if (!hasState && !hasLabel) throw new ApiError(400, 'invalid_args', 'Send "state" (running or stopped) or "label".');
  if (hasState && body.state !== 'running' && body.state !== 'stopped') {
    throw new ApiError(400, 'invalid_args', `state must be running or stopped, got ${JSON.stringify(body.state)}`);
  }
  if (hasLabel) {
    const label = body.label;
    if (label !== null && typeof label !== 'string') throw new ApiError(400, 'invalid_args', 'label must be a string');
    if (typeof label === 'string' && label.length > MAX_LABEL) {
      throw new ApiError(400, 'label_too_long', `label is longer than ${MAX_LABEL} characters`);
    }
    state.instances.setLabel(id, label);
  }
  if (body.state === 'running') state.instances.start(id);
  if (body.state === 'stopped') state.instances.stop(id);
  if (hasState) return jsonResponse(200, { success: true });
  return jsonResponse(200, { success: true, msg: `Label for instance ${id} set.` });
};
