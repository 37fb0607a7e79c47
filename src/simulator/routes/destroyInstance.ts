import { ApiError } from '../server/apiError';
import { jsonResponse } from '../server/response';
import type { RouteHandler } from './route';

/** `DELETE /api/v0/instances/{id}/`: gone at once; its offer returns to the market. */
export const destroyInstance: RouteHandler = (state, request) => {
  const id = request.pathId!;
  if (!state.instances.destroy(id)) throw new ApiError(404, 'not_found', `Instance ${id} not found.`);
  return jsonResponse(200, { success: true });
};
