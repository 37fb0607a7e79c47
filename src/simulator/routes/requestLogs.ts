import { containerLogs } from '../instances/containerLogs';
import { ApiError } from '../server/apiError';
import { jsonResponse } from '../server/response';
import { bodyObject, type RouteHandler } from './route';

/** Path prefix of the "S3" downloads this simulator serves itself (no auth, no rate limit). */
export const LOG_DOWNLOAD_PREFIX = '/__sim/logs/';

/**
 * `PUT /api/v0/instances/request_logs/{id}/` with optional `{tail, filter}`: answers a `result_url`
 * that serves the logs shortly afterwards (404 until then, as S3 does while the upload runs).
 */
export const requestLogs: RouteHandler = (state, request) => {
  const id = request.pathId!;
  const record = state.instances.recordOf(id);
  if (!record) throw new ApiError(404, 'invalid_id', `Instance ${id} not found.`);
  const body = bodyObject(request.body);
  const tail = body.tail === undefined ? undefined : Number(body.tail);
  const filter = typeof body.filter === 'string' && body.filter !== '' ? body.filter : undefined;
  const now = state.clock.now();
  const text = containerLogs(record, now, { tail: Number.isFinite(tail) ? tail : undefined, filter });
  const token = state.logUploads.create(text, now + state.instances.logsReadyDelay(id));
  return jsonResponse(200, {
    success: true,
    result_url: `${state.url}${LOG_DOWNLOAD_PREFIX}${token}`,
    msg: 'Logs will be uploaded to result_url shortly.',
  });
};
