import { jsonResponse } from '../server/response';
import type { RouteHandler } from './route';

/** `POST /api/v0/bundles/` → `{"offers": [...]}`. */
export const searchOffers: RouteHandler = (state, request) => jsonResponse(200, { offers: state.offers.search(request.body) });
