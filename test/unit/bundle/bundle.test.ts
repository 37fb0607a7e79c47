import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';

// The shipped bundles, not the sources: built here with esbuild.js's own options (minified, as
// packaged), then driven over real HTTP. Checks that node-fetch still reads bodies and streams with
// web-streams-polyfill swapped for node:stream/web, and that the simulator stays out of the extension.
const config = require('../../../esbuild.js') as { common: esbuild.BuildOptions; builds: esbuild.BuildOptions[] };
const ROOT = path.resolve(__dirname, '../../..');

function buildOf(entry: string): esbuild.BuildOptions {
  const build = config.builds.find((b) => (b.entryPoints as string[])[0] === entry);
  assert.ok(build, `esbuild.js builds ${entry}`);
  return build;
}

describe('the production bundles', function () {
  this.timeout(60_000);
  let dir: string;
  let core: typeof import('../../../src/core');

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vast-bundle-'));
    for (const entry of ['src/core.ts', 'src/extension.ts', 'src/simulator/demoScenario.ts']) {
      const build = buildOf(entry);
      await esbuild.build({
        ...config.common,
        ...build,
        absWorkingDir: ROOT,
        minify: true,
        sourcemap: false,
        logLevel: 'silent',
        outfile: path.join(dir, path.basename(build.outfile!)),
      });
    }
    core = require(path.join(dir, 'core.js'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('carry no web-streams polyfill', () => {
    for (const file of ['core.js', 'extension.js']) {
      assert.doesNotMatch(fs.readFileSync(path.join(dir, file), 'utf8'), /ReadableStreamBYOBReader\.prototype|web-streams-polyfill/, file);
    }
  });

  it('keep the simulator out of extension.js, which requires demoSimulator.js only when asked', () => {
    const extension = fs.readFileSync(path.join(dir, 'extension.js'), 'utf8');
    assert.doesNotMatch(extension, /startSimulator|DEMO_INSTANCES|train-llama-3/);
    assert.match(extension, /require\("\.\/demoSimulator\.js"\)/);
    const demo = require(path.join(dir, 'demoSimulator.js')) as typeof import('../../../src/simulator/demoScenario');
    assert.equal(typeof demo.startDemoSimulator, 'function');
  });

  describe('node-fetch over the shim, against the simulator', () => {
    let sim: Awaited<ReturnType<typeof core.startSimulator>>;
    let client: InstanceType<typeof core.VastClient>;
    before(async () => {
      sim = await core.startSimulator({ seed: 7, rateLimits: { enabled: false }, instances: [{ label: 'a', status: 'running' }] });
      client = new core.VastClient({ apiKey: sim.apiKey, baseUrl: sim.url, shareBudget: false });
    });
    after(async () => {
      client?.dispose();
      await sim?.close();
    });

    it('reads a JSON body (GET)', async () => {
      const user = await client.currentUser();
      assert.equal(typeof user.credit, 'number');
    });

    it('sends a JSON body and reads the answer (search offers)', async () => {
      const result = await client.searchOffers({ gpuName: 'RTX 4090', limit: 5 });
      assert.ok(result.offers.length > 0);
      assert.ok(result.offers.every((offer) => offer.gpu_name === 'RTX 4090'));
    });

    it('streams a text body (the instance log)', async () => {
      const [instance] = await client.listInstances();
      const log = await client.instanceLogs(instance.id, { tail: 50 });
      assert.ok(log.length > 0, 'a running instance has a log');
    });
  });
});
