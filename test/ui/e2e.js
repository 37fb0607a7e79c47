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
  {
    name: 'the Vast.ai sidebar lists the simulator\'s instances',
    shot: '05-vast-sidebar',
    critical: true,
    async run({ page }) {
      const sidebar = await wb.openViewContainer(page, 'Vast.ai');
      for (const label of ['train-llama-3', 'jupyter-scratch', 'sd-webui', 'eval-harness']) {
        await wb.expectVisible(wb.treeRows(sidebar, label), `the instance "${label}" in the Instances view`);
      }
      await wb.expectVisible(wb.treeRows(sidebar, 'train-llama-3').locator('.codicon-vm-running'), 'the running icon on train-llama-3');
      await wb.expectVisible(wb.treeRows(sidebar, 'eval-harness').locator('.codicon-error'), 'the failed icon on eval-harness');
      await wb.expectVisible(wb.treeRows(sidebar, /\$48\.\d\d · ~\d+ h left at \$\d+\.\d\d\/h.*simulated account/), 'the account line (credit, runway) saying it is the simulator');
    },
  },
  {
    name: 'the status bar shows the rate limits are clear',
    shot: '06-status-clear',
    async run({ page }) {
      await wb.expectVisible(wb.statusBarItem(page, 'Vast.ai (simulator)'), 'the "Vast.ai (simulator)" status bar item');
      await wb.expectVisible(page.locator('.part.statusbar .statusbar-item:has(.codicon-check)', { hasText: 'Vast.ai' }), 'the all-clear check mark');
    },
  },
  {
    name: 'the account line shows the credit, the $/h billed now and the runway',
    shot: '06b-runway',
    async run({ page }) {
      const sidebar = page.locator('.part.sidebar');
      await wb.expectVisible(wb.treeRows(sidebar, /^\s*\$\d+\.\d\d · ~\d+ (h|days) left at \$\d+\.\d\d\/h\s*\d running/), 'the credit and the runway first on the account line', 30_000);
      await wb.expectVisible(wb.treeRows(sidebar, 'finetune-qwen').filter({ hasText: 'interruptible' }), 'finetune-qwen marked interruptible', 30_000);
      await wb.screenshotAtWidths(page, SCREENSHOTS, '06b-runway');
    },
  },
  {
    name: 'Copy SSH Command first checks the instance accepts a key here, and offers one',
    shot: '06c-ssh-key-offer',
    async run({ page }) {
      const sidebar = page.locator('.part.sidebar');
      await wb.contextMenu(page, wb.treeRows(sidebar, 'train-llama-3'), 'Copy SSH Command');
      const widget = page.locator('.quick-input-widget');
      await wb.expectVisible(widget.locator('.quick-input-title', { hasText: /SSH key for train-llama-3/ }), 'the SSH key offer for train-llama-3', 30_000);
      await wb.expectVisible(widget.locator('.monaco-list-row', { hasText: /Create a new key pair ~\/\.ssh\/vast_ed25519|Attach ~\/\.ssh\/id_/ }), 'a key to attach, or a new key pair to create');
      await wb.screenshotAtWidths(page, SCREENSHOTS, '06c-ssh-key-offer');
    },
    async after({ page }) {
      await wb.closeQuickInput(page);
    },
  },
  {
    name: 'Search Offers from the palette, pick an offer, create it and watch it come up',
    shot: '07-created-running',
    async run({ page }) {
      await wb.runCommandKeepingInput(page, 'Vast.ai: Search Offers');
      await wb.answerStep(page, 'Search Offers (1/7)', { typed: 'RTX 4090', rowText: 'RTX 4090' });
      await wb.answerStep(page, 'Search Offers (2/7)'); // no price limit
      await wb.answerStep(page, 'Search Offers (3/7)', { typed: '1 GPU', rowText: '1 GPU' });
      await wb.answerStep(page, 'Search Offers (4/7)', { rowText: 'Any reliability' });
      await wb.answerStep(page, 'Search Offers (5/7)', { rowText: 'Any region' });
      await wb.answerStep(page, 'Search Offers (6/7)', { rowText: 'Lowest price' });
      await wb.expectVisible(page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'RTX 4090' }), 'the offers list', 30_000);
      await page.screenshot({ path: path.join(SCREENSHOTS, '07a-offers.png') });
      if (process.env.UI_DEBUG_LOG) {
        await wb.closeQuickInput(page);
        await wb.runCommand(page, 'Vast.ai: Show Log');
        await page.waitForTimeout(1500);
        await page.screenshot({ path: path.join(SCREENSHOTS, '07x-log.png') });
      }
      await wb.answerStep(page, '(7/7)', { rowText: '$' });
      await wb.answerStep(page, /Create Instance.*\(1\/5\)/, { rowText: 'pytorch/pytorch:latest' });
      await wb.answerStep(page, /Create Instance.*\(2\/5\)/); // disk: the default
      await wb.answerStep(page, /Create Instance.*\(3\/5\)/, { typed: 'ui-e2e' });
      await wb.answerStep(page, /Create Instance.*\(4\/5\)/); // no on-start script
      // 5/5: the optional auto-stop, enforced on the instance itself.
      const widget = page.locator('.quick-input-widget');
      await wb.expectVisible(widget.locator('.quick-input-title', { hasText: /\(5\/5\)/ }), 'the auto-stop step (5/5)');
      for (const choice of ['No auto-stop', 'Stop after N minutes of GPU idle', 'Stop at a time']) {
        await wb.expectVisible(widget.locator('.monaco-list-row', { hasText: choice }), `the auto-stop choice "${choice}"`);
      }
      await page.screenshot({ path: path.join(SCREENSHOTS, '07a2-auto-stop-choice.png') });
      await widget.locator('input').fill('Stop after');
      await wb.answerStep(page, /\(5\/5\)/, { rowText: 'Stop after N minutes of GPU idle' });
      await wb.expectVisible(widget.locator('.quick-input-message', { hasText: 'Minutes of GPU idle' }), 'the idle minutes box');
      await widget.locator('input').fill('30');
      await page.screenshot({ path: path.join(SCREENSHOTS, '07a3-auto-stop-minutes.png') });
      await page.keyboard.press('Enter');
      const dialog = await wb.expectVisible(page.locator('.monaco-dialog-box', { hasText: /Rent RTX 4090/ }), 'the confirmation naming the GPU and price');
      for (const [text, what] of [
        [/On-demand \(no bid price\)/, 'that it is on-demand'],
        [/Auto-stop: it stops itself after 30 min of GPU idle/, 'the auto-stop and what enforces it'],
        [/Once it runs: \$\d+\.\d\d credit, ~\d+ (h|days) left at \$\d+\.\d\d\/h/, 'the runway once it runs'],
      ]) {
        await wb.expectVisible(page.locator('.monaco-dialog-box', { hasText: text }), `the confirmation saying ${what}`);
      }
      await page.screenshot({ path: path.join(SCREENSHOTS, '07b-confirm-create.png') });
      await dialog.locator('.monaco-button', { hasText: 'Create Instance' }).click();
      await wb.expectVisible(wb.notificationToasts(page, /Waiting for instance ui-e2e/), 'the progress notification while it boots', 30_000);
      await page.screenshot({ path: path.join(SCREENSHOTS, '07c-waiting.png') });
      await wb.expectVisible(wb.notificationToasts(page, /ui-e2e .* is running/), 'the "is running" notification', 90_000);
      const sidebar = page.locator('.part.sidebar');
      await wb.expectVisible(wb.treeRows(sidebar, 'ui-e2e').locator('.codicon-vm-running'), 'the new instance running in the tree', 30_000);
    },
  },
  {
    name: 'the status bar turns to throttled when the simulator throttles hard, then back to clear',
    shot: '08-status-throttled',
    async run({ page }) {
      await wb.runCommand(page, 'Vast.ai: Simulator: Throttle Hard for 60 s');
      await wb.expectVisible(wb.statusBarItem(page, 'throttled'), 'the status bar item saying "throttled"', 20_000);
      await page.screenshot({ path: path.join(SCREENSHOTS, '08a-throttled.png') });
      await wb.runCommand(page, 'Vast.ai: Simulator: Back to Normal Rate Limits');
      await wb.expectHidden(wb.statusBarItem(page, 'throttled'), 'the throttled status once the limits are back to normal', 45_000);
      await wb.expectVisible(page.locator('.part.statusbar .statusbar-item:has(.codicon-check)', { hasText: 'Vast.ai' }), 'all clear again');
    },
  },
  {
    name: 'an idle GPU is marked in the tree and told once, with Stop, Destroy and Keep',
    shot: '08b-idle',
    async run({ page }) {
      const sidebar = page.locator('.part.sidebar');
      // It may have come (and its toast timed out) during an earlier step: then it is in the Notification Center.
      const toast = await wb.expectNotice(page, /jupyter-scratch has been idle \d+ min at \$0\.22\/h/, 'the idle notification for jupyter-scratch', 150_000);
      for (const action of ['Stop', 'Destroy', 'Keep']) {
        await wb.expectVisible(toast.locator('.monaco-button', { hasText: new RegExp(`^${action}$`) }), `the "${action}" button`);
      }
      await wb.expectVisible(wb.treeRows(sidebar, 'jupyter-scratch').filter({ hasText: /idle \d+ min/ }), 'the idle marker on jupyter-scratch', 30_000);
      await wb.screenshotAtWidths(page, SCREENSHOTS, '08b-idle');
      await toast.locator('.monaco-button', { hasText: /^Keep$/ }).click();
    },
    async after({ page }) {
      if (await page.locator('.notifications-center').isVisible()) await page.keyboard.press('Escape');
    },
  },
  {
    name: 'low credit: the runway drops under 6 h and the warning offers Add Credit and Show Instances',
    shot: '08c-low-credit',
    async run({ page }) {
      await wb.runCommand(page, 'Vast.ai: Simulator: Drop the Credit to $4');
      const toast = await wb.expectVisible(wb.notificationToasts(page, /Vast\.ai credit is low: \$\d\.\d\d, ~\d+ (h|min) left at \$\d+\.\d\d\/h/), 'the low-credit warning', 90_000);
      for (const action of ['Add Credit', 'Show Instances']) {
        await wb.expectVisible(toast.locator('.monaco-button', { hasText: action }), `the "${action}" button`);
      }
      const sidebar = page.locator('.part.sidebar');
      await wb.expectVisible(wb.treeRows(sidebar, /\$\d\.\d\d · ~\d+ (h|min) left at/), 'the low runway on the account line');
      await wb.screenshotAtWidths(page, SCREENSHOTS, '08c-low-credit');
    },
  },
  {
    name: 'stop an instance from its context menu, confirming the modal',
    shot: '09-stopped',
    async run({ page }) {
      const sidebar = page.locator('.part.sidebar');
      await wb.contextMenu(page, wb.treeRows(sidebar, 'train-llama-3'), 'Stop Instance');
      const dialog = await wb.expectVisible(page.locator('.monaco-dialog-box', { hasText: 'Stop instance train-llama-3' }), 'the stop confirmation');
      await dialog.locator('.monaco-button', { hasText: /^Stop$/ }).click();
      await wb.expectVisible(wb.treeRows(sidebar, 'train-llama-3').locator('.codicon-debug-stop, .codicon-loading'), 'train-llama-3 stopping or stopped', 30_000);
    },
  },
  {
    name: 'destroy an instance, confirming the modal that names it and its cost',
    shot: '10-destroyed',
    async run({ page }) {
      const sidebar = page.locator('.part.sidebar');
      await wb.contextMenu(page, wb.treeRows(sidebar, 'eval-harness'), 'Destroy Instance');
      const dialog = await wb.expectVisible(page.locator('.monaco-dialog-box', { hasText: /Destroy instance eval-harness .* at \$0\.79\/h/ }), 'the destroy confirmation naming the instance and its cost');
      await page.screenshot({ path: path.join(SCREENSHOTS, '10a-confirm-destroy.png') });
      await dialog.locator('.monaco-button', { hasText: /^Destroy$/ }).click();
      await wb.expectHidden(wb.treeRows(sidebar, 'eval-harness'), 'eval-harness in the tree after destroying it', 30_000);
    },
  },
  {
    name: 'a destroy that Vast reports done while the instance stays listed becomes "destroy pending", with a warning',
    shot: '11-destroy-pending',
    async run({ page }) {
      const sidebar = page.locator('.part.sidebar');
      await wb.runCommand(page, 'Vast.ai: Simulator: Make the Next Destroy Linger');
      await wb.contextMenu(page, wb.treeRows(sidebar, 'sd-webui'), 'Destroy Instance');
      const dialog = await wb.expectVisible(page.locator('.monaco-dialog-box', { hasText: /Destroy instance sd-webui/ }), 'the destroy confirmation');
      await dialog.locator('.monaco-button', { hasText: /^Destroy$/ }).click();
      await wb.expectVisible(wb.notificationToasts(page, /sd-webui was destroyed, but Vast\.ai still lists it/), 'the destroy-pending warning', 150_000);
      await wb.expectVisible(wb.treeRows(sidebar, 'sd-webui').filter({ hasText: 'destroy pending' }), 'sd-webui marked "destroy pending"', 30_000);
      await wb.screenshotAtWidths(page, SCREENSHOTS, '11-destroy-pending');
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
      env: { VAST_API_KEY: undefined },
      // The extension runs against its built-in simulator; idle after 1 min so the idle step need not wait 30.
      settings: { 'vastai.useSimulator': true, 'vastai.idleMinutes': 1 },
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
