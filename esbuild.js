// Bundles the extension and the plain-Node core into CommonJS. node-fetch 3 and p-throttle 8 are
// ESM-only; esbuild inlines them so VS Code and `require()` callers get one self-contained file each.
// `--production` (what is packaged and benchmarked) minifies; the default build adds source maps.
const esbuild = require('esbuild');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** fetch-blob's fallback for a Node without web streams: never taken in VS Code, 60 KB minified. */
const webStreamsShim = path.resolve(__dirname, 'src/shims/webStreams.ts');

/**
 * The demo simulator is its own bundle, loaded only in demo mode: the extension's
 * `import('../simulator/demoScenario')` becomes `require('./demoSimulator.js')` next to extension.js.
 */
const demoSimulatorApart = {
  name: 'demo-simulator-apart',
  setup(build) {
    build.onResolve({ filter: /\/simulator\/demoScenario$/ }, () => ({ path: './demoSimulator.js', external: true }));
  },
};

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

const builds = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [demoSimulatorApart] },
  { entryPoints: ['src/simulator/demoScenario.ts'], outfile: 'dist/demoSimulator.js' },
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
module.exports = { common, builds, production };

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
