// A window or script at rest on one key: the Instances view is visible (a subscribed monitor) and
// one wait is pending. Args: {url, apiKey, waitFor}. Reports its own list requests and 429s.
import type { Program } from '../programProcess';

const program: Program = async ({ core, args }) => {
  const client = new core.VastClient({ apiKey: String(args.apiKey), baseUrl: String(args.url) });
  let lists = 0;
  let rateLimited = 0;
  client.onRequest((event) => {
    if (event.type !== 'response') return;
    if (event.endpoint === 'instances') lists++;
    if (event.status === 429) rateLimited++;
  });
  const monitor = new core.InstanceMonitor(client);
  monitor.subscribe();
  monitor.waitUntilRunning(Number(args.waitFor), { timeoutMs: 3600_000 }).catch(() => undefined);
  return () => ({ lists, rateLimited });
};

export default program;
