import assert from 'node:assert/strict';
import type { Instance, InstancesPage } from '../../../src/vast/types';
import { listQuery, startHarness, type Harness } from './harness';

describe('simulator: list instances (GET /api/v1/instances/ and v0)', () => {
  let h: Harness;
  const page = async (params: Record<string, unknown> = {}) => {
    const reply = await h.call('GET', `/api/v1/instances/${listQuery(params)}`);
    assert.equal(reply.status, 200, reply.text);
    return reply.json as InstancesPage;
  };
  const allPages = async (params: Record<string, unknown> = {}) => {
    const rows: Instance[] = [];
    let token: string | null = null;
    do {
      const current: InstancesPage = await page(token ? { ...params, after_token: token } : params);
      rows.push(...current.instances);
      token = current.next_token;
    } while (token);
    return rows;
  };

  beforeEach(async () => {
    h = await startHarness({ instances: 60 });
  });
  afterEach(() => h.close());

  it('pages 25 at a time by id with counts and label_counts', async () => {
    const first = await page();
    assert.equal(first.success, true);
    assert.equal(first.instances_found, 25);
    assert.equal(first.total_instances, 60);
    assert.equal(typeof first.next_token, 'string');
    const labels = Object.values(first.label_counts).reduce((a, b) => a + b, 0);
    assert.equal(labels, 60);
    assert.ok('' in first.label_counts, 'unlabelled instances count under ""');
    const rows = await allPages();
    assert.equal(rows.length, 60);
    const ids = rows.map((r) => r.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    assert.equal(new Set(ids).size, 60);
  });

  it('clamps limit to 25, treats <= 0 as 5', async () => {
    assert.equal((await page({ limit: 100 })).instances_found, 25);
    assert.equal((await page({ limit: 7 })).instances_found, 7);
    assert.equal((await page({ limit: 0 })).instances_found, 5);
    assert.equal((await page({ limit: -3 })).instances_found, 5);
  });

  it('keeps keyset pagination consistent when instances come and go between pages', async () => {
    const first = await page({ limit: 10 });
    const seen = first.instances.map((r) => r.id);
    // Destroy one already seen and one not yet seen; add a new one (highest id).
    h.sim.instances.destroy(seen[3]);
    const unseen = h.sim.instances.list().map((r) => r.id).filter((id) => !seen.includes(id));
    h.sim.instances.destroy(unseen[0]);
    const added = h.sim.instances.add({ label: 'late' });
    const rest: number[] = [];
    let token = first.next_token;
    while (token) {
      const next = await page({ limit: 10, after_token: token });
      rest.push(...next.instances.map((r) => r.id));
      token = next.next_token;
    }
    assert.deepEqual(rest, unseen.slice(1).concat(added.id), 'nothing repeated or skipped');
  });

  it('orders by other columns with id as tiebreaker, descending too', async () => {
    const rows = await allPages({ order_by: [{ col: 'label', dir: 'desc' }] });
    assert.equal(rows.length, 60);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      const la = a.label ?? '';
      const lb = b.label ?? '';
      if (a.label === null || b.label === null) continue;
      assert.ok(la > lb || (la === lb && a.id < b.id), `${la}/${a.id} before ${lb}/${b.id}`);
    }
    const byIdDesc = await page({ order_by: [{ col: 'id', dir: 'desc' }], limit: 3 });
    assert.ok(byIdDesc.instances[0].id > byIdDesc.instances[1].id);
  });

  it('filters on stored columns', async () => {
    const rows = await allPages({ select_filters: { actual_status: { in: ['running', 'loading'] } } });
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r) => r.actual_status === 'running' || r.actual_status === 'loading'));
    const filtered = await page({ select_filters: { actual_status: { eq: 'running' } } });
    assert.equal(filtered.total_instances, h.sim.instances.list().filter((r) => r.actual_status === 'running').length);
  });

  it('refuses computed columns in select_filters with Vast’s message', async () => {
    for (const column of ['dph_total', 'num_gpus']) {
      const reply = await h.call('GET', `/api/v1/instances/${listQuery({ select_filters: { [column]: { lt: 1 } } })}`);
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.json, {
        success: false,
        error: 'invalid_request',
        msg: `Error in query parameters: ${column} is not a valid search key`,
      });
    }
  });

  it('projects select_cols, unknown columns as null', async () => {
    const result = await page({ select_cols: ['id', 'label', 'no_such_col'], limit: 2 });
    for (const row of result.instances) assert.deepEqual(Object.keys(row), ['id', 'label', 'no_such_col']);
    assert.equal(result.instances[0].no_such_col, null);
    assert.ok(Object.keys((await page({ select_cols: ['*'], limit: 1 })).instances[0]).length > 30);
  });

  it('answers 400 invalid_token for a bad or foreign token', async () => {
    for (const token of ['garbage!', 'eyJub3QiOiJhIHRva2VuIn0', 42]) {
      const reply = await h.call('GET', `/api/v1/instances/${listQuery({ after_token: token })}`);
      assert.equal(reply.status, 400);
      assert.equal(reply.json.error, 'invalid_token');
    }
    // A token is tied to the order it was made for.
    const first = await page({ limit: 5 });
    const other = await h.call('GET', `/api/v1/instances/${listQuery({ after_token: first.next_token, order_by: [{ col: 'label', dir: 'asc' }] })}`);
    assert.equal(other.json.error, 'invalid_token');
    // Sent without JSON quotes, a good token still works.
    const raw = await h.call('GET', `/api/v1/instances/?after_token=${first.next_token}&limit=5`);
    assert.equal(raw.status, 200);
    assert.notEqual(raw.json.instances[0].id, first.instances[0].id);
  });

  it('answers 400 invalid_request for unparseable parameters', async () => {
    const reply = await h.call('GET', '/api/v1/instances/?order_by=%5Bnot%20json');
    assert.equal(reply.status, 400);
    assert.equal(reply.json.error, 'invalid_request');
  });

  it('v0 legacy list returns everything, ?owner=me accepted', async () => {
    const reply = await h.call('GET', '/api/v0/instances/?owner=me');
    assert.equal(reply.status, 200);
    assert.equal(reply.json.instances_found, 60);
    assert.equal(reply.json.instances.length, 60);
  });

  it('lists 500 instances added in one call', async () => {
    h.sim.instances.addMany(440);
    const rows = await allPages();
    assert.equal(rows.length, 500);
    assert.equal(h.sim.log.count({ endpoint: 'instances' }), 20);
  });
});
