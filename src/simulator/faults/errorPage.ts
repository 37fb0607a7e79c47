import { STATUS_CODES } from 'node:http';

/** The HTML a reverse proxy serves for a 5xx: what Vast's edge returns when the backend is down. */
export function errorPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Server Error'}`;
  return (
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
    `<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  );
}
