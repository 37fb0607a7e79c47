import { ApiError } from '../server/apiError';
import { jsonResponse } from '../server/response';
import type { RouteHandler } from './route';

/** `PUT /api/v0/instances/reboot/{id}/`: `rebooting` for a while, then `running`. */
export const rebootInstance: RouteHandler = (state, request) => {
  const id = request.pathId!;
  if (!state.instances.reboot(id)) throw new ApiError(404, 'no_such_instance', `Instance ${id} not found.`);
  return jsonResponse(200, { success: true });
};
