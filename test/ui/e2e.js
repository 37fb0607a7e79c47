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

const WIDTHS = [300, 220];

/** Runs `check(width)` at each side bar width and saves `<shot>-<width>.png`; back at 300 px after. */
async function atBothWidths(page, shot, check) {
  try {
    for (const width of WIDTHS) {
      await wb.setSidebarWidth(page, width);
      await page.waitForTimeout(300);
      await check(width);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${shot}-${width}.png`) });
    }
  } finally {
    await wb.setSidebarWidth(page, 300).catch(() => {});
  }
}

/** The visible text of an instance's row, logged so a failing assertion can be read. */
async function rowText(page, label) {
  const text = await wb.visibleRowText(wb.treeRows(page.locator('.part.sidebar'), label));
  console.log(`[ui]     row "${label}" reads: ${text}`);
  return text;
}

/** The side bar, once its text (rows, the view's message, its title) contains `pattern`. */
function sidebarWithText(page, pattern) {
  return page.locator('.part.sidebar', { hasText: pattern });
}

function expectMatch(text, pattern, what) {
  if (!pattern.test(text)) throw new Error(`${what}: "${text}" does not match ${pattern}`);
}

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
        `"${DISPLAY_NAME}" in the installed extensions list`, 30_000);
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
      await wb.expectVisible(sidebarWithText(page, /Simulator · \$\d+\.\d\d\/h · \$48\.\d\d credit · ~\d+ h left/), 'the summary above the list, saying it is the simulator', 30_000);
      for (const group of ['Running', 'Stopped', 'Failed']) {
        await wb.expectVisible(wb.treeRows(sidebar, new RegExp(`^${group}`)).locator('.monaco-tl-twistie.collapsible'), `the collapsible "${group}" group`);
      }
      await atBothWidths(page, '05-sidebar-6', async (width) => {
        const running = await rowText(page, 'train-llama-3');
        const stopped = await rowText(page, 'sd-webui');
        const exited = await rowText(page, 'eval-harness');
        if (width === 300) {
          expectMatch(running, /^train-llama-3 \d+h \d+m · \$0\.82\/h/, 'uptime and $/h of a running row at 300 px');
          expectMatch(stopped, /^sd-webui stopped · \$0\.\d+\/h/, 'state word and storage $/h of a stopped row at 300 px');
          expectMatch(exited, /^eval-harness exited · \$0\.79\/h/, 'state word and $/h of an exited row at 300 px');
        } else {
          expectMatch(running, /^train-llama-3 \d+h \d+m/, 'uptime of a running row at 220 px');
          expectMatch(stopped, /^sd-webui stopped/, 'the state word of a stopped row at 220 px');
        }
      });
    },
  },
  {
    name: 'a stopped row shows its storage price and a hint; an exited row says why and offers its logs',
    shot: '05b-stopped-exited',
    async run({ page }) {
      const sidebar = page.locator('.part.sidebar');
      await atBothWidths(page, '05b-stopped-tooltip', async () => {
        const text = await wb.hoverTooltip(page, wb.treeRows(sidebar, 'sd-webui'), 'for storage while stopped');
        expectMatch(text, /Destroying it ends the charge/, 'the stopped tooltip');
      });
      await atBothWidths(page, '05c-exited-tooltip', async () => {
        const text = await wb.hoverTooltip(page, wb.treeRows(sidebar, 'eval-harness'), 'Why:');
        expectMatch(text, /OCI runtime create failed/, 'the exited tooltip');
        expectMatch(text, /Show Instance Logs/, 'the exited tooltip');
      });
      await page.mouse.move(1395, 450);
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
      await wb.expectVisible(sidebarWithText(page, /\$\d+\.\d\d\/h · \$\d+\.\d\d credit · ~\d+ (h|min|days) left/), 'the $/h billed now, the credit and the runway above the list', 30_000);
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
    name: 'typing "4090" in the GPU step picks the catalogue\'s RTX 4090; an unknown model gets "Did you mean"',
    shot: '06b-search-4090',
    async run({ page }) {
      await wb.runCommandKeepingInput(page, 'Vast.ai: Quick Search');
      const widget = page.locator('.quick-input-widget');
      await wb.expectVisible(widget.locator('.quick-input-title', { hasText: 'Quick Search (1/3)' }), 'the Quick Search GPU step');
      await widget.locator('input').fill('4090');
      await wb.expectVisible(widget.locator('.monaco-list-row.focused', { hasText: 'RTX 4090' }), 'RTX 4090 highlighted after typing 4090');
      const labels = (await widget.locator('.monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim());
      console.log(`[ui]     rows after typing 4090: ${labels.join(' | ')}`);
      if (labels.includes('4090')) throw new Error(`a literal "4090" entry is offered: ${labels.join(' | ')}`);
      await atBothWidths(page, '06b-search-4090', async () => {});
      await widget.locator('input').fill('4090 Ti Super');
      await wb.expectVisible(widget.locator('.monaco-list-row.focused', { hasText: '4090 Ti Super' }), 'the typed model as its own entry');
      await page.keyboard.press('Enter');
      await wb.answerStep(page, 'Quick Search (2/3)'); // no price limit
      const toast = await wb.expectVisible(wb.notificationToasts(page, /No GPU named '4090 Ti Super'\. Did you mean RTX 4090\?/), 'the "Did you mean RTX 4090?" answer', 30_000);
      await atBothWidths(page, '06c-search-unknown-gpu', async () => {});
      await toast.locator('.monaco-button', { hasText: 'Change Filters' }).count();
    },
  },
  {
    name: 'Search Offers from the palette, pick an offer, create it and watch it come up in ONE notification',
    shot: '07-created-running',
    async run({ page }) {
      await wb.runCommandKeepingInput(page, 'Vast.ai: Search Offers');
      await wb.answerStep(page, 'Search Offers (1/7)', { typed: 'RTX 4090', rowText: 'RTX 4090' });
      await wb.answerStep(page, 'Search Offers (2/7)', { typed: '' }); // no price limit
      await wb.answerStep(page, 'Search Offers (3/7)', { typed: '1 GPU', rowText: '1 GPU' });
      await wb.answerStep(page, 'Search Offers (4/7)', { typed: 'Any reliability', rowText: 'Any reliability' });
      await wb.answerStep(page, 'Search Offers (5/7)', { typed: 'Any region', rowText: 'Any region' });
      await wb.answerStep(page, 'Search Offers (6/7)', { typed: 'Lowest price', rowText: 'Lowest price' });
      await wb.expectVisible(page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'RTX 4090' }), 'the offers list', 30_000);
      await page.screenshot({ path: path.join(SCREENSHOTS, '07a-offers.png') });
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
      await wb.expectVisible(wb.notificationToasts(page, /Creating instance ui-e2e.*Cancel only stops waiting: instance \d+ keeps running and billing/s),
        'the one progress notification saying what Cancel does once the instance exists', 30_000);
      const progressToasts = await wb.notificationToasts(page, /Creating instance ui-e2e|Waiting for instance/).count();
      if (progressToasts !== 1) throw new Error(`${progressToasts} progress notifications for create and wait, not one`);
      await atBothWidths(page, '07c-create-then-wait', async () => {});
      await wb.expectVisible(wb.notificationToasts(page, /ui-e2e .* is running/), 'the "is running" notification', 90_000);
      const sidebar = page.locator('.part.sidebar');
      await wb.expectVisible(wb.treeRows(sidebar, 'ui-e2e').locator('.codicon-vm-running'), 'the new instance running in the tree', 30_000);
      await atBothWidths(page, '07d-sidebar-7', async (width) => {
        const text = await rowText(page, 'ui-e2e');
        expectMatch(text, width === 300 ? /^ui-e2e \d+[smh]( \d+m)? · \$\d+\.\d\d\d?\/h/ : /^ui-e2e \d+[smh]/, `uptime${width === 300 ? ' and $/h' : ''} of the new row at ${width} px`);
      });
    },
  },
  {
    name: 'throttled: the status bar says so in plain words, the view says how old its list is and counts down',
    shot: '08-throttled-stale',
    async run({ page }) {
      await wb.runCommand(page, 'Vast.ai: Simulator: Throttle Hard for 60 s');
      await wb.expectVisible(wb.statusBarItem(page, /waiting \d+ s \(rate limit\)/), 'the status bar item saying "waiting N s (rate limit)"', 20_000);
      const sidebar = page.locator('.part.sidebar');
      await wb.expectVisible(sidebarWithText(page, /As of .* ago · Vast\.ai is rate-limiting, next try in \d+/), 'the stale line in the view', 45_000);
      await atBothWidths(page, '08a-throttled-stale', async () => {
        await wb.expectVisible(sidebarWithText(page, /As of .* ago · Vast\.ai is rate-limiting/), 'the stale line in the view');
      });
      const tooltip = await wb.hoverTooltip(page, wb.statusBarItem(page, 'rate limit'), 'Next poll');
      expectMatch(tooltip, /At most one request per/, 'the status bar tooltip');
      await page.screenshot({ path: path.join(SCREENSHOTS, '08b-status-tooltip.png') });
      await page.mouse.move(1395, 450);
      await wb.runCommand(page, 'Vast.ai: Simulator: Back to Normal Rate Limits');
      await wb.expectHidden(wb.statusBarItem(page, 'rate limit'), 'the rate-limit status once the limits are back to normal', 60_000);
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
      // The toast may time out while the screenshots are taken: then Keep is clicked in the Notification Center.
      await wb.retry(async () => {
        const notice = await wb.expectNotice(page, /jupyter-scratch has been idle \d+ min at \$0\.22\/h/, 'the idle notification for jupyter-scratch', 30_000);
        await notice.locator('.monaco-button', { hasText: /^Keep$/ }).click({ timeout: 5_000 });
      });
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
      await wb.expectVisible(sidebarWithText(page, /\$\d\.\d\d credit · ~\d+ (h|min) left/), 'the low runway on the summary line above the list');
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
    name: 'an exited instance\'s logs open read-only, titled "<name> — logs", with a refresh action',
    shot: '09b-logs',
    async run({ page }) {
      const sidebar = page.locator('.part.sidebar');
      await wb.contextMenu(page, wb.treeRows(sidebar, 'eval-harness'), 'Show Instance Logs');
      const tab = await wb.expectVisible(page.locator('.tabs-container .tab', { hasText: /eval-harness \(\d+\) — logs/ }), 'the logs tab titled "eval-harness (id) — logs"', 30_000);
      await wb.expectVisible(page.locator('.editor-actions [aria-label^="Refresh Instance Logs"]'), 'the refresh action in the editor title');
      await wb.expectVisible(page.locator('.part.editor .view-lines', { hasText: /\S/ }), 'the log text');
      if (/dirty/.test((await tab.getAttribute('class')) ?? '')) throw new Error('the logs editor has unsaved changes (it should be read-only)');
      await atBothWidths(page, '09b-logs', async () => {});
      await page.locator('.editor-actions [aria-label^="Refresh Instance Logs"]').click();
      await page.waitForTimeout(1500);
      await runCommandQuietly(page, 'View: Close All Editors');
    },
  },
  {
    name: 'destroying a running instance: Enter alone does nothing, its name must be typed; Escape keeps it',
    shot: '10-destroy-dialog',
    async run({ page }) {
      const sidebar = page.locator('.part.sidebar');
      await wb.contextMenu(page, wb.treeRows(sidebar, 'jupyter-scratch'), 'Destroy Instance');
      const widget = page.locator('.quick-input-widget');
      await wb.expectVisible(page.locator('.quick-input-widget', { hasText: /Type jupyter-scratch to destroy it/ }), 'the prompt asking for the name');
      await page.keyboard.press('Enter');
      await wb.expectVisible(page.locator('.quick-input-widget', { hasText: /Type jupyter-scratch exactly to destroy it/ }), 'the validation message after Enter alone');
      await atBothWidths(page, '10-destroy-running', async () => {});
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
      await wb.expectVisible(wb.treeRows(sidebar, 'jupyter-scratch'), 'jupyter-scratch still there after Escape');
      // A stopped or failed one: a pick whose first, highlighted answer keeps it.
      await wb.contextMenu(page, wb.treeRows(sidebar, 'eval-harness'), 'Destroy Instance');
      await wb.expectVisible(widget.locator('.monaco-list-row.focused', { hasText: 'Keep it' }), '"Keep it" highlighted');
      await page.screenshot({ path: path.join(SCREENSHOTS, '10-destroy-exited-300.png') });
      await widget.locator('.monaco-list-row', { hasText: 'Destroy eval-harness' }).click();
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
      const widget = await wb.expectVisible(page.locator('.quick-input-widget', { hasText: /Destroy instance sd-webui/ }), 'the destroy question');
      await widget.locator('.monaco-list-row', { hasText: 'Destroy sd-webui' }).click();
      await wb.expectVisible(wb.notificationToasts(page, /sd-webui was destroyed, but Vast\.ai still lists it/), 'the destroy-pending warning', 150_000);
      await wb.expectVisible(wb.treeRows(sidebar, 'sd-webui').filter({ hasText: 'destroy pending' }), 'sd-webui marked "destroy pending"', 30_000);
      await wb.screenshotAtWidths(page, SCREENSHOTS, '11-destroy-pending');
    },
  },
  {
    name: '45 instances, grouped by state with counts; Filter Instances with a clear action',
    shot: '11-sidebar-45',
    async run({ page }) {
      await wb.runCommand(page, 'Vast.ai: Simulator: Fill the Account to 45 Instances');
      const sidebar = page.locator('.part.sidebar');
      await wb.expectVisible(sidebarWithText(page, /Simulator · \$\d+\.\d\d\/h · \$\d+\.\d\d credit/), 'the summary');
      // The list is virtualised (groups below the fold are not in the DOM): the total is read from the filter line below.
      // Two digits: the filled account, not the handful of instances shown before the fill's poll.
      await wb.expectVisible(wb.treeRows(sidebar, /^Running\s*\d{2,} · \$/), 'the Running group with its count and $/h', 30_000);
      await atBothWidths(page, '11-sidebar-45', async () => {
        await wb.expectVisible(wb.treeRows(sidebar, /^Running\s*\d{2,} · \$/), 'the Running group with its count and $/h');
      });
      await wb.runCommandKeepingInput(page, 'Vast.ai: Filter Instances');
      await page.locator('.quick-input-widget input').fill('4090');
      await page.keyboard.press('Enter');
      await wb.expectVisible(sidebarWithText(page, /Filter "4090": \d+ of 4[45] shown/), 'the filter line in the view, out of the 45 instances');
      await wb.expectVisible(page.locator('.part.sidebar .actions-container [aria-label^="Clear Instance Filter"]'), 'the clear-filter action in the title bar');
      await atBothWidths(page, '11b-filtered', async () => {});
      await page.locator('.part.sidebar .actions-container [aria-label^="Clear Instance Filter"]').first().click();
      await wb.expectHidden(sidebarWithText(page, /Filter "4090"/), 'the filter line after clearing');
    },
  },
  {
    name: 'the getting-started walkthrough',
    shot: '12-walkthrough',
    async run({ page }) {
      await wb.runCommand(page, 'Vast.ai: Get Started');
      await wb.expectVisible(page.locator('.part.editor', { hasText: 'Get Started with Vast.ai GPU Explorer' }), 'the walkthrough title', 20_000);
      for (const step of ['Connect: API key, Vast CLI key or the simulator', 'Search for a GPU', 'Create an instance and wait for it', 'Connect with Remote-SSH']) {
        await wb.expectVisible(page.locator('.part.editor', { hasText: step }), `the walkthrough step "${step}"`);
      }
      await atBothWidths(page, '12-walkthrough', async () => {});
    },
  },
];

/** Runs a built-in command by its palette title, ignoring it when this VS Code lacks it. */
async function runCommandQuietly(page, title) {
  await wb.runCommand(page, title).catch(() => wb.closeQuickInput(page).catch(() => {}));
}

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
