#!/usr/bin/env node
// Runs test/integration/suite inside VS Code's extension host with @vscode/test-electron.
// Here (default) the "VS Code executable" is test/harness/fake-vscode: code-server + Chromium.
// VSCODE_TEST_DESKTOP=1 downloads and uses a real desktop VS Code instead (VSCODE_TEST_VERSION,
// default 1.100.0 = engines.vscode's minimum) on machines that can reach Microsoft's servers.
// Prints "[integration] N passed, M failed"; writes {passed, failed} to $TEST_COUNTS_FILE when set.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');

const ROOT = path.resolve(__dirname, '..', '..');

/** The suite is TypeScript: each *.test.ts becomes one CommonJS bundle in out/integration (vscode and mocha stay external). */
async function buildSuite() {
  const esbuild = require('esbuild');
  const suiteDir = path.join(__dirname, 'suite');
  const outdir = path.join(ROOT, 'out', 'integration');
  fs.rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(suiteDir, f)),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}

async function main() {
  const started = Date.now();
  const desktop = process.env.VSCODE_TEST_DESKTOP === '1';
  if (!desktop) require('../harness/tools').ensureTools({ quiet: true });
  // INTEGRATION_PRODUCTION=1 (the bench's activation run): the minified build that is packaged.
  const buildArgs = ['esbuild.js', ...(process.env.INTEGRATION_PRODUCTION === '1' ? ['--production'] : [])];
  const build = spawnSync(process.execPath, buildArgs, { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  await buildSuite();

  const countsFile = process.env.TEST_COUNTS_FILE || path.join(os.tmpdir(), `vast-integration-${process.pid}.json`);
  fs.rmSync(countsFile, { force: true });
  const workspace = path.join(ROOT, '.vscode-test', 'workspace');
  fs.mkdirSync(workspace, { recursive: true });

  let exitCode = 0;
  try {
    await runTests({
      ...(desktop
        ? { version: process.env.VSCODE_TEST_VERSION || '1.100.0' }
        : { vscodeExecutablePath: path.join(ROOT, 'test', 'harness', 'fake-vscode') }),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      launchArgs: [workspace, ...(desktop ? ['--disable-extensions'] : [])],
      // Reaches the extension host through the environment (checked: the suite writes the file there).
      extensionTestsEnv: { TEST_COUNTS_FILE: countsFile, VAST_API_KEY: undefined },
    });
  } catch (error) {
    console.error(`[integration] ${error.message}`);
    exitCode = 1;
  }

  let counts;
  try {
    counts = JSON.parse(fs.readFileSync(countsFile, 'utf8'));
    if (exitCode !== 0 && counts.failed === 0) counts.failed = 1; // crashed after the tests ran
  } catch {
    console.error('[integration] the suite wrote no counts (it did not run, or TEST_COUNTS_FILE did not reach it)');
    counts = { passed: 0, failed: 1 };
    exitCode = 1;
  }
  if (process.env.TEST_COUNTS_FILE) fs.writeFileSync(countsFile, JSON.stringify(counts));
  else fs.rmSync(countsFile, { force: true });
  console.log(`[integration] ${counts.passed} passed, ${counts.failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return exitCode;
}

main().then((code) => process.exit(code), (error) => { console.error(error); process.exit(1); });
