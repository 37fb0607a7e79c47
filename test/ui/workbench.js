// Small helpers over VS Code's web workbench DOM for the UI steps. Each one waits for what it needs
// and fails with a sentence that says which element was missing, not a bare selector timeout.
const DEFAULT_TIMEOUT = 15_000;

async function expectVisible(locator, what, timeout = DEFAULT_TIMEOUT) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`not visible after ${timeout / 1000} s: ${what}`);
  }
  return locator.first();
}

async function expectHidden(locator, what, timeout = DEFAULT_TIMEOUT) {
  try {
    await locator.first().waitFor({ state: 'hidden', timeout });
  } catch {
    throw new Error(`still visible after ${timeout / 1000} s: ${what}`);
  }
}

/** Waits until the workbench has rendered its parts and the extension host has connected. */
async function waitForWorkbench(page, timeout = 60_000) {
  await expectVisible(page.locator('.monaco-workbench'), 'the workbench (.monaco-workbench)', timeout);
  await expectVisible(page.locator('.part.activitybar, .activitybar'), 'the activity bar', timeout);
  await expectVisible(page.locator('.part.statusbar'), 'the status bar', timeout);
  await expectVisible(page.locator('.part.statusbar .statusbar-item'), 'the status bar items', timeout);
}

/** Opens the Command Palette (F1), shows commands matching `text`; returns the quick input locator. */
async function openCommandPalette(page, text = '') {
  const widget = page.locator('.quick-input-widget');
  if (!(await widget.isVisible())) await page.keyboard.press('F1');
  const input = await expectVisible(widget.locator('input'), 'the Command Palette input (F1)');
  await input.fill(`>${text}`);
  return widget;
}

/** The Command Palette rows whose label contains `title`. */
function paletteRows(page, title) {
  return page.locator('.quick-input-widget .monaco-list-row', { hasText: title });
}

/** Runs a command by its title (as shown in the palette, e.g. "Vast.ai: Refresh Offers"). */
async function runCommand(page, title) {
  const row = await findCommand(page, title);
  await row.click();
  await expectHidden(page.locator('.quick-input-widget'), 'the Command Palette after running the command');
}

/** Runs a command that opens a QuickPick/InputBox of its own (the palette input stays open). */
async function runCommandKeepingInput(page, title) {
  const row = await findCommand(page, title);
  await row.click();
}

/**
 * Opens the palette on `title` and returns its row. The palette lists the commands known when it
 * opened: in a window that has just loaded, the extension's may register a moment later (slow on a
 * busy machine), so an open palette without the row is closed and opened again, up to a minute.
 */
async function findCommand(page, title, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    await openCommandPalette(page, title);
    try {
      return await expectVisible(paletteRows(page, title), `command "${title}" in the Command Palette`, Math.min(DEFAULT_TIMEOUT, Math.max(1000, deadline - Date.now())));
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * Runs `attempt` up to `times` times, calling `between(error, n)` after each failure but the last (to
 * close what the failed try left open): for UI that a busy first start can drop once.
 */
async function retry(attempt, { times = 3, between = async () => {} } = {}) {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= times) throw error;
      await between(error, n);
    }
  }
}

/**
 * Answers one step of a multi-step QuickPick: waits for its title to show `step` (e.g. "(3/7)"),
 * types `typed` (to filter a list, or as the value of an input box; none keeps the default), waits
 * for the row containing `rowText` to be highlighted when given, and presses Enter.
 */
async function answerStep(page, step, { typed, rowText } = {}) {
  const widget = page.locator('.quick-input-widget');
  await expectVisible(widget.locator('.quick-input-title', { hasText: step }), `the QuickPick at step ${step}`);
  if (typed !== undefined) await widget.locator('input').fill(typed);
  if (rowText !== undefined) {
    await expectVisible(widget.locator('.monaco-list-row.focused', { hasText: rowText }), `"${rowText}" highlighted at step ${step}`);
  }
  await page.keyboard.press('Enter');
}

/** Right-clicks `row` and chooses `item` from its context menu. */
async function contextMenu(page, row, item) {
  await expectVisible(row, `the row to right-click for "${item}"`);
  await row.first().click({ button: 'right' });
  // The menu lives in a shadow root: role locators find it there.
  const entry = await expectVisible(page.getByRole('menuitem', { name: item }), `"${item}" in the context menu`);
  // VS Code ignores a mouse-up that comes right after the menu opened (the right-click's own release).
  await entry.hover();
  await page.waitForTimeout(300);
  await entry.click();
}

async function closeQuickInput(page) {
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) await page.keyboard.press('Escape');
  await expectHidden(widget, 'the quick input after Escape');
}

/**
 * Clicks the activity bar entry whose label starts with `title` (e.g. "Extensions", or the title of a
 * contributed view container) and waits for its sidebar. The label sits on the inner
 * `a.action-label` in current VS Code, on the `li.action-item` in older ones.
 */
async function openViewContainer(page, title) {
  const bar = page.locator('.activitybar');
  const label = await expectVisible(bar.locator(`.action-item [aria-label^="${title}"], .action-item[aria-label^="${title}"]`),
    `activity bar entry "${title}"`);
  const item = bar.locator('.action-item', { has: label }).or(label).first();
  if ((await item.getAttribute('aria-selected')) !== 'true') await label.click();
  const sidebar = page.locator('.part.sidebar');
  await expectVisible(sidebar.locator('.composite.title', { hasText: new RegExp(escapeRegExp(title), 'i') }),
    `the "${title}" sidebar title`);
  return sidebar;
}

/** Tree rows (views) inside a container locator, optionally containing `text`. */
function treeRows(container, text) {
  return container.locator('.monaco-list-row', text ? { hasText: text } : {});
}

function statusBarItem(page, text) {
  return page.locator('.part.statusbar .statusbar-item', { hasText: text });
}

function notificationToasts(page, text) {
  return page.locator('.notification-toast', text ? { hasText: text } : {});
}

/** Texts of visible error toasts (the ones with the error icon). */
async function errorToasts(page) {
  const toasts = page.locator('.notification-toast:has(.codicon-error)');
  return toasts.allInnerTexts();
}

/** Opens the Notification Center (bell in the status bar); returns the center locator. */
async function openNotificationCenter(page) {
  const center = page.locator('.notifications-center');
  if (!(await center.isVisible())) {
    const bell = await expectVisible(page.locator('.part.statusbar [id="status.notifications"]'), 'the notifications bell in the status bar');
    await bell.click();
  }
  return expectVisible(center, 'the Notification Center');
}

/** Texts of error entries in the Notification Center (open it first). */
async function notificationCenterErrors(page) {
  return page.locator('.notifications-center .notification-list-item:has(.codicon-error)').allInnerTexts();
}

/**
 * Drags the sash between the side bar and the editor until the side bar is `width` px wide (VS Code's
 * default is 300 px; 220 px is a narrow but common choice).
 */
async function setSidebarWidth(page, width) {
  const sidebar = page.locator('.part.sidebar');
  for (let attempt = 0; attempt < 4; attempt++) {
    const box = await sidebar.boundingBox();
    if (!box) throw new Error('no side bar to resize');
    if (Math.abs(box.width - width) <= 2) return;
    const edge = box.x + box.width;
    // The vertical sash on the side bar's right edge.
    const sashes = await page.locator('.monaco-sash.vertical').evaluateAll((elements) =>
      elements.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2, h: r.height }; }));
    const sash = sashes.filter((s) => s.h > 100).sort((a, b) => Math.abs(a.x - edge) - Math.abs(b.x - edge))[0];
    const x = sash && Math.abs(sash.x - edge) < 12 ? sash.x : edge;
    const y = sash ? Math.min(sash.y, box.y + box.height / 2) : box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.waitForTimeout(150);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(x + ((box.x + width - edge) * i) / 10, y);
    await page.mouse.up();
    await page.waitForTimeout(300);
  }
  const box = await sidebar.boundingBox();
  if (Math.abs(box.width - width) > 2) throw new Error(`the side bar is ${box.width} px wide, not ${width} px`);
}

/**
 * The part of a tree row's label and description a person can actually read: characters clipped by
 * the row's width, or hidden under its ellipsis, are left out. innerText would include them.
 */
async function visibleRowText(row) {
  await expectVisible(row, 'the row to read');
  return row.first().evaluate((element) => {
    const container = element.querySelector('.monaco-icon-label-container') || element;
    const bounds = container.getBoundingClientRect();
    const clipped = container.scrollWidth > container.clientWidth + 1;
    const limit = bounds.right - (clipped ? 14 : 0); // the "…" covers the last characters
    const parts = [];
    for (const part of container.querySelectorAll('.label-name, .label-description')) {
      const walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
      let text = '';
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.textContent.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getBoundingClientRect();
          if (rect.width === 0 || rect.right <= limit) text += node.textContent[i];
          else return [...parts, text].join(' ');
        }
      }
      parts.push(text);
    }
    return parts.join(' ');
  });
}

/** Hovers `target` and waits for the hover widget (tooltip) to contain `text`; returns its text. */
async function hoverTooltip(page, target, text) {
  await expectVisible(target, `the element to hover for "${text}"`);
  await page.mouse.move(0, 0);
  await target.first().hover();
  const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: text });
  await expectVisible(hover, `a tooltip containing "${text}"`);
  return hover.first().innerText();
}

/** Screenshots at the default sidebar width (300 px) and at 220 px: <name>-300.png and <name>-220.png. */
async function screenshotAtWidths(page, dir, name) {
  const path = require('node:path');
  for (const width of [300, 220]) {
    await setSidebarWidth(page, width);
    await page.mouse.move(1395, 450).catch(() => {});
    await page.screenshot({ path: path.join(dir, `${name}-${width}.png`) });
  }
  await setSidebarWidth(page, 300);
}

/**
 * A notification as a toast, or, once its toast has timed out, as an entry in the Notification
 * Center (opened for it). Returns the element holding its text and buttons.
 */
async function expectNotice(page, text, what, timeout = DEFAULT_TIMEOUT) {
  const deadline = Date.now() + timeout;
  const toast = notificationToasts(page, text);
  const entry = page.locator('.notifications-center .notification-list-item', { hasText: text });
  for (;;) {
    if (await toast.first().isVisible()) return toast.first();
    await openNotificationCenter(page);
    if (await entry.first().isVisible()) return entry.first();
    await page.keyboard.press('Escape'); // close the center again: toasts only show while it is closed
    if (Date.now() > deadline) throw new Error(`not visible after ${timeout / 1000} s, as a toast or in the Notification Center: ${what}`);
    await page.waitForTimeout(2000);
  }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

module.exports = {
  retry,
  expectVisible,
  expectHidden,
  waitForWorkbench,
  openCommandPalette,
  paletteRows,
  runCommand,
  runCommandKeepingInput,
  answerStep,
  contextMenu,
  closeQuickInput,
  openViewContainer,
  treeRows,
  statusBarItem,
  notificationToasts,
  errorToasts,
  openNotificationCenter,
  notificationCenterErrors,
  setSidebarWidth,
  visibleRowText,
  hoverTooltip,
  expectNotice,
  screenshotAtWidths,
};
