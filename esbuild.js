// Bundles the extension and the plain-Node core into CommonJS. node-fetch 3 and p-throttle 8 are
// ESM-only; esbuild inlines them so VS Code and `require()` callers get one self-contained file each.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const builds = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['src/core.ts'], outfile: 'dist/core.js' },
  { entryPoints: ['src/simulator/cli.ts'], outfile: 'dist/simulator.js' },
];

async function main() {
  const contexts = await Promise.all(builds.map((b) => esbuild.context({ ...common, ...b })));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
