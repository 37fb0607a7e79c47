import { textResponse, type SimResponse } from '../server/response';
import type { SimState } from './route';

/** `GET <result_url>`: the log text once uploaded; an S3-style 404 before that or for a bad token. */
export function downloadLogs(state: SimState, token: string): SimResponse {
  const text = state.logUploads.read(token, state.clock.now());
  if (text !== undefined) return textResponse(200, text);
  return textResponse(
    404,
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
    'application/xml',
  );
}
