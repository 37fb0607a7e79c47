import { jsonResponse } from '../server/response';
import type { RouteHandler } from './route';

/** `GET /api/v0/instances/` (deprecated, `?owner=me` accepted and ignored): every instance, no paging. */
export const listInstancesLegacy: RouteHandler = (state) => {
  const instances = state.instances.list();
  return jsonResponse(200, { instances_found: instances.length, instances });
};
