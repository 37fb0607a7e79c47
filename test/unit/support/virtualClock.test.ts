import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fetch from 'node-fetch';
import pThrottle from 'p-throttle';
import { VirtualClock } from '../../support/virtualClock';

describe('VirtualClock (test support)', () => {
  let clock: VirtualClock;
  let server: http.Server;
  let url: string;
  const seen: number[] = [];

  beforeEach(async () => {
    clock = new VirtualClock();
    seen.length = 0;
    server = http.createServer((_req, res) => {
      seen.push(clock.now());
      res.end(JSON.stringify({ at: clock.now() }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterEach(async () => {
    clock.uninstall();
    await new Promise((resolve) => server.close(resolve));
  });

  it('never moves time while tracked I/O is on the wire, so p-throttle spacing is exact at the server', async () => {
    const gate = pThrottle({ limit: 1, interval: 1000, strict: true });
    const get = gate(() => clock.trackIo(fetch(url).then((r) => r.json())));
    const start = clock.now();
    await clock.run(Promise.all([get(), get(), get(), get()]));
    assert.deepEqual(seen.map((t) => t - start), [0, 1000, 2000, 3000]);
  });

  it('lets time move while tracked I/O is parked on the clock', async () => {
    let release!: () => void;
    const parked = clock.parkIo(new Promise<void>((resolve) => { release = resolve; }));
    clock.setTimeout(() => release(), 5000);
    const work = clock.trackIo(parked.then(() => clock.now()));
    const start = clock.now();
    assert.equal(await clock.run(work), start + 5000);
  });

  it('reports work that can never settle instead of hanging', async () => {
    await assert.rejects(clock.run(new Promise(() => undefined)), /can never settle/);
  });

  it('advance() fires due timers in order and stops at the target', async () => {
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 300);
    clock.setTimeout(() => fired.push(clock.now()), 100);
    clock.setTimeout(() => fired.push(clock.now()), 900);
    const start = clock.now();
    await clock.advance(500);
    assert.deepEqual(fired.map((t) => t - start), [100, 300]);
    assert.equal(clock.now(), start + 500);
  });
});
