import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';

// The shipped bundles, not the sources: built here with esbuild.js's own options (minified, as
// packaged), then driven over real HTTP. Checks that node-fetch still reads bodies and streams with
// web-streams-polyfill swapped for node:stream/web, and that activation loads only the extension's
// registration pieces: the session runtime, the flows and the simulator load on first use.
const config = require('../../../esbuild.js') as {
  common: esbuild.BuildOptions;
  builds: esbuild.BuildOptions[];
  PIECES_MANIFEST: string;
};
const ROOT = path.resolve(__dirname, '../../..');

interface PiecesManifest {
  activation: string[];
  loadedBy: Record<string, string[]>;
  pieces: Record<string, { bytes: number; requires: string[]; imports: string[] }>;
}

function buildOf(entry: string): esbuild.BuildOptions {
  const build = config.builds.find((b) => (b.entryPoints as string[])[0] === entry);
  assert.ok(build, `esbuild.js builds ${entry}`);
  return build;
}

describe('the production bundles', function () {
  this.timeout(60_000);
  let dir: string;
  let core: typeof import('../../../src/core');
  let manifest: PiecesManifest;
  const read = (piece: string) => fs.readFileSync(path.join(dir, piece), 'utf8');
  const pieceOf = (entry: string) => Object.keys(manifest.pieces).find((piece) => path.basename(piece).startsWith(`${entry}-`));

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vast-bundle-'));
    for (const entry of ['src/core.ts', 'src/extension.ts']) {
      const build = buildOf(entry);
      const where = build.outfile ? { outfile: path.join(dir, path.basename(build.outfile)) } : { outdir: path.join(dir, '.esm') };
      await esbuild.build({ ...config.common, ...build, absWorkingDir: ROOT, minify: true, sourcemap: false, logLevel: 'silent', ...where });
    }
    core = require(path.join(dir, 'core.js'));
    manifest = JSON.parse(read(config.PIECES_MANIFEST));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('carry no web-streams polyfill', () => {
    for (const file of ['core.js', ...Object.keys(manifest.pieces)]) {
      assert.doesNotMatch(read(file), /ReadableStreamBYOBReader\.prototype|web-streams-polyfill/, file);
    }
  });

  it('write every piece of the extension as CommonJS (VS Code resolves vscode only for require)', () => {
    for (const piece of Object.keys(manifest.pieces)) {
      assert.doesNotMatch(read(piece), /^import\s|\bexport\s*\{/m, piece);
    }
    assert.match(read('extension.js'), /require\("vscode"\)/);
  });

  it('load only registration at activation: no client, monitor, sharing, flow or simulator', () => {
    const atActivation = manifest.activation.map(read).join('\n');
    const runtime = pieceOf('sessionRuntime');
    assert.ok(runtime, 'the session runtime is a piece of its own');
    const withSession = manifest.loadedBy[runtime].map(read).join('\n');
    // Strings that survive minification, one per module kept out: node-fetch's user agent, the
    // coordinator's refused handshake, the client's page-token check.
    for (const text of ['node-fetch', 'a process that could not prove the key was refused', 'the page token is not a short string']) {
      assert.ok(withSession.includes(text), `the session runtime holds ${text}`);
      assert.ok(!atActivation.includes(text), `activation does not load ${text}`);
    }
    for (const entry of ['sessionRuntime', 'flowRuntime', 'demoScenario']) {
      const piece = pieceOf(entry);
      assert.ok(piece, `${entry} is a piece of its own`);
      assert.ok(!manifest.activation.includes(piece), `${entry} is not loaded at activation`);
    }
    assert.doesNotMatch(atActivation, /train-llama-3/, 'the demo simulator');
    const flows = pieceOf('flowRuntime')!;
    const withFlows = manifest.loadedBy[flows].map(read).join('\n');
    assert.ok(withFlows.includes('Reading the SSH keys of your Vast.ai account'), 'the flows piece holds Manage SSH Keys');
    assert.ok(!atActivation.includes('Reading the SSH keys of your Vast.ai account'), 'activation does not load the flows');
  });

  it('define each class once, in one piece, so instanceof holds across pieces', () => {
    const defining = Object.keys(manifest.pieces).filter((piece) => /name\s*=\s*"VastApiError"/.test(read(piece)));
    assert.deepEqual(defining.length, 1, `pieces defining VastApiError: ${defining.join(', ')}`);
  });

  it('require their pieces by paths that exist', () => {
    for (const [piece, { requires, imports }] of Object.entries(manifest.pieces)) {
      for (const target of [...requires, ...imports]) {
        const spec = path.relative(path.dirname(piece), target).replace(/^(?!\.)/, './');
        assert.ok(read(piece).includes(`require("${spec}")`), `${piece} requires ${spec}`);
        assert.ok(fs.existsSync(path.join(dir, target)), target);
      }
    }
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
