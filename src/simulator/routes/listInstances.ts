import { listPage, parseListQuery } from '../instances/listQuery';
import { jsonResponse } from '../server/response';
import type { RouteHandler } from './route';

/** `GET /api/v1/instances/`: one keyset page. */
export const listInstances: RouteHandler = (state, request) =>
  jsonResponse(200, listPage(state.instances.list(), parseListQuery(request.query)));
