import { round } from '../offers/pricing';
import { listPage, parseListQuery } from '../instances/listQuery';
import { jsonResponse } from '../server/response';
import type { RouteHandler } from './route';

/** `GET /api/v1/instances/`: one keyset page. Every row carries the account's `credit_balance`, as on Vast. */
export const listInstances: RouteHandler = (state, request) => {
  const credit = round(state.account.credit, 6);
  const rows = state.instances.list().map((instance) => ({ ...instance, credit_balance: credit }));
  return jsonResponse(200, listPage(rows, parseListQuery(request.query)));
};
