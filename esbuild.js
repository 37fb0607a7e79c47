// Bundles the extension and the plain-Node core into CommonJS. node-fetch 3 and p-throttle 8 are
// ESM-only; esbuild inlines them so VS Code and `require()` callers get self-contained files.
// `--production` (what is packaged and benchmarked) minifies; the default build adds source maps.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** fetch-blob's fallback for a Node without web streams: never taken in VS Code, 60 KB minified. */
const webStreamsShim = path.resolve(__dirname, 'src/shims/webStreams.ts');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // VS Code 1.100 runs extensions on Node 20.
  target: 'node20',
  sourcemap: !production,
  minify: production,
  charset: 'utf8',
  legalComments: production ? 'none' : 'inline',
  // graceful-fs (proper-lockfile's default fs) only adds EMFILE queuing, which one small lock file never needs.
  alias: { 'web-streams-polyfill/dist/ponyfill.es2018.js': webStreamsShim, 'graceful-fs': 'fs' },
  logLevel: 'warning',
};

/** Where the extension's ESM pieces are written before they become CommonJS in dist/. */
const ESM_DIR = 'dist/.esm';
/** The lazily loaded pieces of the extension (session runtime, flows, simulator), beside extension.js. */
const CHUNKS_DIR = 'dist/chunks';

/**
 * The extension is split where the source says `import()`: activation loads dist/extension.js, and
 * the session runtime, each flow and the demo simulator load when first used. esbuild splits only
 * ESM, and VS Code (1.100) loads CommonJS extensions and resolves `vscode` only for `require`, so
 * each piece is written as ESM first, then turned into CommonJS beside the others (`import()`
 * becomes a `require` of the piece, which Node loads once: a class is defined once, so `instanceof`
 * holds across pieces). Source maps chain through the ESM maps.
 */
const esmToCommonJs = {
  name: 'esm-to-commonjs',
  setup(build) {
    const root = build.initialOptions.absWorkingDir ?? process.cwd();
    const esmDir = path.resolve(root, build.initialOptions.outdir);
    const outDir = path.resolve(root, build.initialOptions.outdir, '..');
    build.onEnd(async (result) => {
      if (result.errors.length > 0) return;
      fs.rmSync(path.join(outDir, path.basename(CHUNKS_DIR)), { recursive: true, force: true });
      const pieces = Object.keys(result.metafile.outputs)
        .filter((file) => file.endsWith('.js'))
        .map((file) => path.resolve(root, file));
      await esbuild.build({
        entryPoints: pieces,
        outbase: esmDir,
        outdir: outDir,
        bundle: false,
        platform: 'node',
        format: 'cjs',
        target: common.target,
        // `import()` of a piece becomes `require()`: one module cache, and VS Code's `vscode` for each piece.
        supported: { 'dynamic-import': false },
        minify: build.initialOptions.minify,
        sourcemap: build.initialOptions.sourcemap,
        charset: 'utf8',
        legalComments: 'none',
        logLevel: 'warning',
      });
      fs.rmSync(esmDir, { recursive: true, force: true });
      const manifest = piecesManifest(result.metafile, root, esmDir, outDir);
      fs.writeFileSync(path.join(outDir, PIECES_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    });
  },
};

/** Written beside extension.js (not packaged): each piece's size and what it loads, for the bench and tests. */
const PIECES_MANIFEST = 'extension-pieces.json';

/**
 * Which pieces load at activation (extension.js and what it requires, transitively) and what each
 * `import()` adds. Taken from esbuild's own metafile; sizes are those of the CommonJS files written.
 */
function piecesManifest(metafile, root, esmDir, outDir) {
  const name = (file) => path.relative(esmDir, path.resolve(root, file)).split(path.sep).join('/');
  const pieces = {};
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (!file.endsWith('.js')) continue;
    const imports = output.imports.filter((i) => !i.external);
    pieces[name(file)] = {
      bytes: fs.statSync(path.join(outDir, name(file))).size,
      requires: imports.filter((i) => i.kind === 'import-statement').map((i) => name(i.path)),
      imports: imports.filter((i) => i.kind === 'dynamic-import').map((i) => name(i.path)),
    };
  }
  const closure = (start) => {
    const seen = new Set();
    const visit = (piece) => {
      if (seen.has(piece)) return;
      seen.add(piece);
      pieces[piece].requires.forEach(visit);
    };
    visit(start);
    return [...seen];
  };
  const activation = closure('extension.js');
  const loadedBy = {};
  for (const piece of Object.keys(pieces)) {
    for (const target of pieces[piece].imports) loadedBy[target] = closure(target).filter((p) => !activation.includes(p));
  }
  return { activation, loadedBy, pieces };
}

const builds = [
  {
    entryPoints: ['src/extension.ts'],
    outdir: ESM_DIR,
    format: 'esm',
    splitting: true,
    metafile: true,
    chunkNames: `${path.basename(CHUNKS_DIR)}/[name]-[hash]`,
    external: ['vscode'],
    plugins: [esmToCommonJs],
  },
  { entryPoints: ['src/core.ts'], outfile: 'dist/core.js' },
  { entryPoints: ['src/simulator/cli.ts'], outfile: 'dist/simulator.js' },
];

async function main() {
  if (require.main !== module) return;
  const contexts = await Promise.all(builds.map((b) => esbuild.context({ ...common, ...b })));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

// Required (by the bundle tests), it only describes the builds.
module.exports = { common, builds, production, ESM_DIR, CHUNKS_DIR, PIECES_MANIFEST };

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
