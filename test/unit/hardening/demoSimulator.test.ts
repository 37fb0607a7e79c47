import assert from 'node:assert/strict';
import http from 'node:http';
import { startDemoSimulator } from '../../../src/simulator/demoScenario';
import { startSimulator, type Simulator } from '../../../src/simulator';

// Finding 8: the demo simulator cannot be driven from a web page (DNS rebinding, URL-borne keys, a known key).
describe('hardening: demo simulator', () => {
  const started: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sim) => sim.close()));
  });

  async function demo() {
    const sim = await startDemoSimulator();
    started.push(sim);
    return sim;
  }

  function get(sim: Simulator, path: string, headers: Record<string, string>): Promise<number> {
    const url = new URL(sim.url);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: url.port, path, method: 'GET', headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('uses a new random key on every start', async () => {
    const a = await demo();
    const b = await demo();
    assert.notEqual(a.apiKey, b.apiKey);
    assert.match(a.apiKey, /^sim-[0-9a-f]{40}$/);
  });

  it('answers only Host 127.0.0.1:<port> or localhost:<port>', async () => {
    const sim = await demo();
    const port = new URL(sim.url).port;
    const auth = { Authorization: `Bearer ${sim.apiKey}` };
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${Number(port) + 1}`, `localhost.evil.example:${port}`]) {
      assert.equal(await get(sim, '/api/v0/users/current/', { ...auth, Host: host }), 421, host);
    }
    // Two endpoints, so the demo's rate limits do not answer the second one.
    assert.equal(await get(sim, '/api/v0/users/current/', { ...auth, Host: `127.0.0.1:${port}` }), 200);
    assert.equal(await get(sim, '/api/v1/instances/', { ...auth, Host: `localhost:${port}` }), 200);
  });

  it('takes the key only from the Authorization header', async () => {
    const sim = await demo();
    const port = new URL(sim.url).port;
    assert.equal(await get(sim, `/api/v0/users/current/?api_key=${sim.apiKey}`, { Host: `127.0.0.1:${port}` }), 401);
  });

  it('a plain simulator (tests, npm run simulator) keeps the old behaviour', async () => {
    const sim = await startSimulator();
    started.push(sim);
    assert.equal(await get(sim, `/api/v0/users/current/?api_key=${sim.apiKey}`, { Host: 'anything.example' }), 200);
  });
});
