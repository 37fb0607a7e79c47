// A window at rest with several waits: the Instances view is visible (a subscribed monitor) and one
// wait per id in args.waitFor. Args: {url, apiKey, waitFor: number[]}. Reports its own list requests,
// 429s, and when each wait resolved (epoch ms, this machine's clock).
import type { Program } from '../programProcess';

const program: Program = async ({ core, args }) => {
  const client = new core.VastClient({ apiKey: String(args.apiKey), baseUrl: String(args.url) });
  let lists = 0;
  let rateLimited = 0;
  const waited: Record<string, number> = {};
  client.onRequest((event) => {
    if (event.type !== 'response') return;
    if (event.endpoint === 'instances') lists++;
    if (event.status === 429) rateLimited++;
  });
  const monitor = new core.InstanceMonitor(client);
  monitor.subscribe();
  const ids = Array.isArray(args.waitFor) ? args.waitFor.map(Number) : [];
  for (const id of ids) {
    monitor.waitUntilRunning(id, { timeoutMs: 3600_000 }).then(
      () => (waited[id] = Date.now()),
      () => undefined,
    );
  }
  return () => ({ lists, rateLimited, waited });
};

export default program;
