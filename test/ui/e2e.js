#!/usr/bin/env node
// UI end-to-end test: what a user sees. Packs the .vsix, installs it into a private code-server
// (normal mode, no smoke-test driver, so toasts show), opens the workbench in Debian's Chromium and
// runs the named STEPS below in order. Each step saves test/artifacts/screenshots/<shot>.png (also when
// it fails). A step fails with a sentence naming the missing element. Prints "[ui] N passed, M failed"
// and writes {passed, failed} to $TEST_COUNTS_FILE when set.
//
// Add a step: { name, shot: 'NN-what', run: async ({ page, server }) => { ... } } using ./workbench.js,
// e.g. openViewContainer(page, 'Vast.ai'), runCommand(page, 'Vast.ai: Refresh'), statusBarItem(page, 'GPU').
// `critical: true` stops the run when that step fails (later steps are counted as failed).
// Env: UI_STEPS=regex runs only matching steps (and the critical ones); HARNESS_HEADED=1 shows the browser (needs a display).
const fs = require('node:fs');
const path = require('node:path');
const { ensureTools, paths } = require('../harness/tools');
const { packageVsix } = require('../harness/package');
const { startCodeServer } = require('../harness/codeServer');
const { launchBrowser, artifactsDir } = require('../harness/browser');
const wb = require('./workbench');

const EXTENSION_ID = 'vast-gpu-explorer.vast-gpu-explorer';
const DISPLAY_NAME = 'Vast.ai GPU Explorer';
const SCREENSHOTS = path.join(artifactsDir, 'screenshots');

const STEPS = [
  {
    name: 'the workbench loads with the workspace folder',
    shot: '01-workbench',
    critical: true,
    async run({ page, server }) {
      await wb.waitForWorkbench(page);
      await wb.expectVisible(page.locator('.part.sidebar .pane-header', { hasText: server.folderName }),
        `the Explorer showing the workspace folder "${server.folderName}"`);
    },
  },
  {
    name: 'the extension is listed as installed in the Extensions view',
    shot: '02-extensions-view',
    async run({ page }) {
      const sidebar = await wb.openViewContainer(page, 'Extensions');
      // With no marketplace the view opens on the installed list (remote host first).
      const item = await wb.expectVisible(sidebar.locator('.extension-list-item', { hasText: DISPLAY_NAME }),
        `"${DISPLAY_NAME}" in the installed extensions list`);
      const text = await item.innerText();
      if (/disabled|error|invalid/i.test(text)) throw new Error(`the extension's entry looks broken: ${text.replace(/\s+/g, ' ')}`);
    },
  },
  {
    name: 'the Command Palette opens and closes',
    shot: '03-command-palette',
    async run({ page }) {
      await page.locator('.part.editor').click({ position: { x: 200, y: 200 } }); // focus the workbench, not the search box
      await wb.openCommandPalette(page, 'Vast');
      await page.waitForTimeout(300); // let the list settle for the screenshot
    },
    async after({ page }) {
      await wb.closeQuickInput(page);
    },
  },
  {
    name: 'no error notification about the extension',
    shot: '04-notification-center',
    async run({ page }) {
      const toasts = await wb.errorToasts(page);
      await wb.openNotificationCenter(page);
      const errors = [...toasts, ...(await wb.notificationCenterErrors(page))].map((t) => t.replace(/\s+/g, ' '));
      const ours = errors.filter((t) => t.includes(EXTENSION_ID) || /vast/i.test(t));
      if (errors.length) console.log(`[ui]   error notifications: ${errors.join(' | ')}`);
      if (ours.length) throw new Error(`error notification(s) about the extension: ${ours.join(' | ')}`);
    },
    async after({ page }) {
      await page.keyboard.press('Escape');
    },
  },
];

async function runSteps(context) {
  const only = process.env.UI_STEPS ? new RegExp(process.env.UI_STEPS, 'i') : null;
  const results = [];
  let stopped = null;
  for (const step of STEPS.filter((s) => !only || s.critical || only.test(s.name) || only.test(s.shot))) {
    if (stopped) {
      results.push({ step, ok: false, error: `not run: "${stopped}" failed` });
      continue;
    }
    const started = Date.now();
    let error = null;
    try {
      await step.run(context);
    } catch (e) {
      error = e.message.split('\n')[0];
    }
    const shot = path.join(SCREENSHOTS, `${step.shot}${error ? '-FAILED' : ''}.png`);
    await context.page.mouse.move(1395, 450).catch(() => {}); // park the mouse: no stray hover tooltips
    await context.page.screenshot({ path: shot }).catch((e) => { error = error || `screenshot failed: ${e.message}`; });
    if (step.after) await step.after(context).catch(() => {});
    const ms = Date.now() - started;
    console.log(`[ui] ${error ? '✗' : '✔'} ${step.name} (${ms} ms) → ${path.relative(paths.root, shot)}${error ? `\n[ui]     ${error}` : ''}`);
    results.push({ step, ok: !error, error });
    if (error && step.critical) stopped = step.name;
  }
  return results;
}

async function main() {
  const started = Date.now();
  ensureTools({ quiet: true });
  const vsix = packageVsix({ quiet: true });
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });

  let server;
  let browser;
  try {
    server = await startCodeServer({
      label: 'ui',
      vsix,
      workspace: true, // an empty folder inside the server's state dir
      env: { VAST_API_KEY: undefined }, // the extension uses its built-in simulator
    });
    const installed = server.listExtensions();
    if (!installed.some((line) => line.startsWith(`${EXTENSION_ID}@`))) {
      throw new Error(`the .vsix did not install: code-server lists ${installed.join(', ') || 'no extensions'}`);
    }
    console.log(`[ui] installed ${installed.join(', ')}; workbench at ${server.url}`);
    browser = await launchBrowser({ profileDir: path.join(server.dirs.state, 'chromium') });
    const { page } = browser;
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.workbenchUrl());
    const results = await runSteps({ page, server });
    if (pageErrors.length && process.env.UI_VERBOSE) console.log(`[ui] page errors:\n  ${pageErrors.join('\n  ')}`);
    return results;
  } finally {
    if (browser) await browser.close();
    if (server) await server.stop();
    console.log(`[ui] total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

function report(counts) {
  if (process.env.TEST_COUNTS_FILE) fs.writeFileSync(process.env.TEST_COUNTS_FILE, JSON.stringify(counts));
  console.log(`[ui] ${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}

// Ctrl-C: exit through process.exit so the 'exit' hooks kill code-server's group and Chromium.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));

main().then(
  (results) => report({ passed: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length }),
  (error) => { console.error(`[ui] ${error.stack || error}`); report({ passed: 0, failed: 1 }); },
);
