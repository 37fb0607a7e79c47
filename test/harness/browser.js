// Debian's Chromium through playwright-core (from .tools/), with the flags that work as root on a
// machine without internet. Used by fake-vscode and the UI tests.
const fs = require('node:fs');
const path = require('node:path');
const { paths } = require('./tools');

const CHROMIUM_ARGS = [
  '--no-sandbox', // we run as root
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking', // otherwise many refused connections to Google hosts
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

/**
 * Launches Chromium with a fresh profile in `profileDir` (given through launchPersistentContext, never
 * --user-data-dir) and returns { context, page, close }.
 */
async function launchBrowser({ profileDir, headless = process.env.HARNESS_HEADED !== '1', viewport = { width: 1400, height: 900 } }) {
  const { chromium } = require(paths.playwrightCore());
  fs.rmSync(profileDir, { recursive: true, force: true });
  fs.mkdirSync(profileDir, { recursive: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: paths.chromium(),
    headless,
    args: CHROMIUM_ARGS,
    viewport,
    // Our callers tear down themselves (browser, then code-server); Playwright's own handlers would
    // process.exit() on the first Ctrl-C and skip that.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const page = context.pages()[0] || await context.newPage();
  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    await Promise.race([context.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
  return { context, page, close };
}

module.exports = { launchBrowser, CHROMIUM_ARGS, artifactsDir: path.join(paths.root, 'test', 'artifacts') };
