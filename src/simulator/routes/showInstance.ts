import { jsonResponse } from '../server/response';
import type { RouteHandler } from './route';

/**
 * `GET /api/v0/instances/{id}/`: one object under the plural key `instances` (Vast's quirk), and
 * 200 `{"instances": null}` for an unknown or destroyed id rather than a 404.
 */
export const showInstance: RouteHandler = (state, request) =>
  jsonResponse(200, { instances: state.instances.get(request.pathId!) ?? null });
