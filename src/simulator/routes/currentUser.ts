import { jsonResponse } from '../server/response';
import type { RouteHandler } from './route';

/** `GET /api/v0/users/current/`: the account, with credit reduced by what instances have cost so far. */
export const currentUser: RouteHandler = (state) => jsonResponse(200, state.account.user());
