import assert from 'node:assert/strict';
import type { Offer } from '../../../src/vast/types';
import { startHarness, type Harness } from './harness';

describe('simulator: search offers (POST /api/v0/bundles/)', () => {
  let h: Harness;
  const search = async (body: unknown) => {
    const reply = await h.call('POST', '/api/v0/bundles/', { body });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.headers.get('content-type'), 'application/json');
    return reply.json.offers as Offer[];
  };
  const searchError = async (body: unknown) => {
    const reply = await h.call('POST', '/api/v0/bundles/', { body });
    assert.equal(reply.status, 400, reply.text);
    assert.equal(reply.json.success, false);
    return reply.json as { error: string; msg: string };
  };

  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('returns the top 64 by score by default, rented offers included (no server-side defaults)', async () => {
    const offers = await search({});
    assert.equal(offers.length, 64);
    for (let i = 1; i < offers.length; i++) assert.ok(offers[i - 1].score >= offers[i].score);
    const all = await search({ limit: 1000 });
    assert.equal(all.length, 300);
    assert.ok(all.some((o) => o.rented), 'some offers are already rented');
    assert.ok(all.some((o) => !o.verified), 'some offers are unverified');
  });

  it('fills every Offer field with realistic values', async () => {
    const [offer] = await search({ limit: 1 });
    const required = [
      'id', 'ask_contract_id', 'bundle_id', 'machine_id', 'host_id', 'gpu_name', 'num_gpus', 'gpu_ram', 'gpu_total_ram',
      'cpu_cores_effective', 'cpu_ram', 'disk_space', 'cuda_max_good', 'driver_version', 'compute_cap', 'dph_base',
      'dph_total', 'min_bid', 'storage_cost', 'reliability', 'reliability2', 'dlperf', 'dlperf_per_dphtotal', 'total_flops',
      'score', 'inet_up', 'inet_down', 'direct_port_count', 'static_ip', 'public_ipaddr', 'geolocation', 'verification',
      'verified', 'rentable', 'rented', 'external', 'datacenter', 'is_bid', 'duration', 'end_date',
    ];
    for (const field of required) assert.notEqual(offer[field], undefined, field);
    assert.equal(offer.ask_contract_id, offer.id);
    assert.equal(offer.gpu_total_ram, offer.gpu_ram * offer.num_gpus);
    assert.match(offer.geolocation, /^[A-Za-z ]+, [A-Z]{2}$/);
    assert.match(offer.driver_version, /^\d+\.\d+\.\d+$/);
    const all = await search({ limit: 1000 });
    for (const o of all) {
      assert.ok(o.reliability >= 0.85 && o.reliability <= 0.999);
      assert.ok([1, 2, 4, 8].includes(o.num_gpus));
    }
    const h100 = all.filter((o) => o.gpu_name === 'H100 SXM');
    assert.ok(h100.length > 0 && h100.every((o) => o.gpu_ram === 81559 && o.compute_cap === 900));
    assert.ok(new Set(all.map((o) => o.geolocation.slice(-2))).size >= 10, 'a spread of countries');
  });

  it('is deterministic per seed and differs between seeds', async () => {
    const first = (await search({ limit: 5 })).map((o) => o.id);
    await h.close();
    h = await startHarness();
    assert.deepEqual((await search({ limit: 5 })).map((o) => o.id), first);
    await h.close();
    h = await startHarness({ seed: 7 });
    assert.notDeepEqual((await search({ limit: 5 })).map((o) => o.id), first);
  });

  it('supports every operator', async () => {
    const all = await search({ limit: 1000 });
    const pick = all[10];
    assert.ok((await search({ id: { eq: pick.id } })).every((o) => o.id === pick.id));
    assert.ok((await search({ gpu_name: { neq: 'RTX 4090' }, limit: 1000 })).every((o) => o.gpu_name !== 'RTX 4090'));
    assert.ok((await search({ num_gpus: { gt: 2 }, limit: 1000 })).every((o) => o.num_gpus > 2));
    assert.ok((await search({ num_gpus: { gte: 4 }, limit: 1000 })).every((o) => o.num_gpus >= 4));
    assert.ok((await search({ dph_total: { lt: 0.5 }, limit: 1000 })).every((o) => o.dph_total < 0.5));
    assert.ok((await search({ reliability: { lte: 0.95 }, limit: 1000 })).every((o) => o.reliability <= 0.95));
    const pair = await search({ gpu_name: { in: ['RTX 4090', 'RTX 3090'] }, limit: 1000 });
    assert.ok(pair.length > 0 && pair.every((o) => o.gpu_name === 'RTX 4090' || o.gpu_name === 'RTX 3090'));
    assert.equal(pair.length, all.filter((o) => o.gpu_name === 'RTX 4090' || o.gpu_name === 'RTX 3090').length);
    assert.ok((await search({ verification: { notin: ['verified'] }, limit: 1000 })).every((o) => o.verification !== 'verified'));
    const ranged = await search({ num_gpus: { gte: 2, lte: 4 }, rented: { eq: false }, limit: 1000 });
    assert.ok(ranged.every((o) => o.num_gpus >= 2 && o.num_gpus <= 4 && !o.rented));
  });

  it('filters geolocation by country code and driver_version by the CLI integer form', async () => {
    const us = await search({ geolocation: { eq: 'US' }, limit: 1000 });
    assert.ok(us.length > 0 && us.every((o) => o.geolocation.endsWith(', US')));
    const europe = await search({ geolocation: { in: ['DE', 'FI', 'SE'] }, limit: 1000 });
    assert.ok(europe.every((o) => /, (DE|FI|SE)$/.test(o.geolocation)));
    const recent = await search({ driver_version: { gte: 570000000 }, limit: 1000 });
    assert.ok(recent.length > 0 && recent.every((o) => Number(o.driver_version.split('.')[0]) >= 570));
  });

  it('accepts numeric strings as numbers, as the CLI sends them', async () => {
    const typed = await search({ num_gpus: { eq: 1 }, limit: 1000 });
    const strings = await search({ num_gpus: { eq: '1' }, limit: '1000' });
    assert.deepEqual(strings.map((o) => o.id), typed.map((o) => o.id));
    assert.ok((await search({ verified: { eq: 'true' }, limit: 1000 })).every((o) => o.verified));
  });

  it('matches gpu_name exactly: underscores match nothing', async () => {
    assert.ok((await search({ gpu_name: { eq: 'RTX 4090' } })).length > 0);
    assert.equal((await search({ gpu_name: { eq: 'RTX_4090' } })).length, 0);
  });

  it('orders by several keys, with aliases, and limits', async () => {
    const cheap = await search({ order: [['dph', 'asc']], limit: 20 });
    assert.equal(cheap.length, 20);
    for (let i = 1; i < cheap.length; i++) assert.ok(cheap[i - 1].dph_total <= cheap[i].dph_total);
    const multi = await search({ order: [['num_gpus', 'desc'], ['dph_total', 'asc']], limit: 1000 });
    for (let i = 1; i < multi.length; i++) {
      const [a, b] = [multi[i - 1], multi[i]];
      assert.ok(a.num_gpus > b.num_gpus || (a.num_gpus === b.num_gpus && a.dph_total <= b.dph_total));
    }
  });

  it('prices allocated_storage into dph_total, and type bid from min_bid', async () => {
    const [small] = await search({ id: { eq: (await search({ limit: 1 }))[0].id }, allocated_storage: 8 });
    const [large] = await search({ id: { eq: small.id }, allocated_storage: 1000 });
    const storageHour = (gb: number) => (small.storage_cost * gb) / 720;
    assert.ok(Math.abs(small.dph_total - (small.dph_base + storageHour(8))) < 1e-5);
    assert.ok(Math.abs(large.dph_total - (large.dph_base + storageHour(1000))) < 1e-5);
    const [bid] = await search({ id: { eq: small.id }, type: 'bid', allocated_storage: 8 });
    assert.equal(bid.is_bid, true);
    assert.ok(Math.abs(bid.dph_total - (bid.min_bid + storageHour(8))) < 1e-5);
    assert.equal((await search({ id: { eq: small.id }, type: 'reserved' })).length, 1);
  });

  it('answers 400 invalid_args for bad grammar, naming the problem', async () => {
    assert.match((await searchError({ num_gpus: { approx: 1 } })).msg, /unknown operator approx/);
    assert.match((await searchError({ gpu_name: { in: 'RTX 4090' } })).msg, /needs an array/);
    assert.match((await searchError({ gpu_nme: { eq: 'RTX 4090' } })).msg, /unknown search field gpu_nme/);
    assert.match((await searchError({ num_gpus: { eq: 'two' } })).msg, /num_gpus needs a number/);
    assert.match((await searchError({ verified: true })).msg, /must be an object of operators/);
    assert.match((await searchError({ order: [['nope', 'asc']] })).msg, /unknown search field nope/);
    assert.match((await searchError({ order: [['score', 'down']] })).msg, /asc or desc/);
    assert.match((await searchError({ limit: 0 })).msg, /limit/);
    assert.match((await searchError({ type: 'interruptible' })).msg, /type/);
    assert.equal((await searchError({ num_gpus: { approx: 1 } })).error, 'invalid_args');
    const broken = await h.call('POST', '/api/v0/bundles/', { body: '{"limit": ' });
    assert.equal(broken.status, 400);
    assert.equal(broken.json.error, 'invalid_args');
  });

  it('clamps limit to 1000 and reflects rented offers after a create', async () => {
    assert.equal((await search({ limit: 5000 })).length, 300);
    const [free] = await search({ rented: { eq: false }, rentable: { eq: true }, limit: 1 });
    const created = await h.call('PUT', `/api/v0/asks/${free.id}/`, { body: { image: 'ubuntu:22.04', disk: 10 } });
    assert.equal(created.status, 200);
    const [after] = await search({ id: { eq: free.id } });
    assert.equal(after.rented, true);
    assert.equal((await search({ id: { eq: free.id }, rented: { eq: false } })).length, 0);
  });
});
