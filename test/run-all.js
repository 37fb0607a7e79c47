#!/usr/bin/env node
// The project's one test command: type-check, build, then every suite; ends with the single line
// "N passed, N failed" that CI reads. `node test/run-all.js unit` runs only the named layers.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const layers = {
  unit: () => mocha('unit', ['test/unit/**/*.test.ts']),
  // Inside a real VS Code (code-server) through @vscode/test-electron; installs its tools on first use.
  integration: () => script('integration', 'test/integration/runTest.js'),
  // What a user sees: Playwright + Chromium on the packaged .vsix.
  ui: () => sum(script('ui', 'test/ui/e2e.js'), script('ui-two-windows', 'test/ui/twoWindows.js')),
};

function sum(...counts) {
  return counts.reduce((total, c) => ({ passed: total.passed + c.passed, failed: total.failed + c.failed }), { passed: 0, failed: 0 });
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function mocha(name, specs) {
  const countsFile = countsPath(name);
  const status = run(process.execPath, [
    require.resolve('mocha/bin/mocha.js'),
    '--import=tsx',
    '--reporter', path.join(__dirname, 'support/countingReporter.js'),
    ...specs,
  ], { TEST_COUNTS_FILE: countsFile });
  return readCounts(countsFile, status, name);
}

function script(name, file) {
  const countsFile = countsPath(name);
  return readCounts(countsFile, run(process.execPath, [file], { TEST_COUNTS_FILE: countsFile }), name);
}

function countsPath(name) {
  const file = path.join(os.tmpdir(), `vast-test-counts-${process.pid}-${name}.json`);
  fs.rmSync(file, { force: true });
  return file;
}

function readCounts(file, status, name) {
  try {
    const counts = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.rmSync(file, { force: true });
    // A crash after the suites ran still counts as a failure.
    if (status !== 0 && counts.failed === 0) counts.failed = 1;
    return counts;
  } catch {
    console.error(`[run-all] ${name}: no results (exit ${status}); counted as one failure`);
    return { passed: 0, failed: 1 };
  }
}

function main() {
  const wanted = process.argv.slice(2);
  const selected = wanted.length ? wanted : Object.keys(layers);
  let passed = 0;
  let failed = 0;
  if (!wanted.length || wanted.includes('unit')) {
    for (const [step, args] of [['typecheck', ['run', 'typecheck']], ['build', ['run', 'build']]]) {
      if (run('npm', args) !== 0) {
        console.error(`[run-all] ${step} failed`);
        failed++;
      }
    }
  }
  for (const name of selected) {
    if (!layers[name]) {
      console.error(`[run-all] unknown layer ${name}; known: ${Object.keys(layers).join(', ')}`);
      failed++;
      continue;
    }
    const counts = layers[name]();
    passed += counts.passed;
    failed += counts.failed;
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main();
