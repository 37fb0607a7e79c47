#!/usr/bin/env node
// The "run it" command (npm start): installs the pinned tools, packs the extension, installs the .vsix
// into a private code-server and serves VS Code with the extension at http://127.0.0.1:8080/ until Ctrl-C.
//
//   node test/harness/start.js [--port 8080] [--host 127.0.0.1] [--folder DIR] [--no-open] [--desktop]
//
// The extension host inherits this environment: with VAST_API_KEY set the extension talks to Vast.ai,
// without it it uses its built-in simulator. --desktop runs a desktop VS Code (`code` on PATH) with
// --extensionDevelopmentPath instead. Server state and logs: .tools/state/start-<port>/ (fresh each run);
// the default workspace folder .tools/workspace/ is kept between runs.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureTools, paths } = require('./tools');

function parseArgs(argv) {
  const options = { port: 8080, host: '127.0.0.1', folder: path.join(paths.tools, 'workspace'), open: true, desktop: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i];
    if (flag === '--port') options.port = Number(value());
    else if (flag === '--host') options.host = value();
    else if (flag === '--folder') options.folder = path.resolve(value());
    else if (flag === '--no-open') options.open = false;
    else if (flag === '--desktop') options.desktop = true;
    else if (flag === '--help' || flag === '-h') {
      console.log('usage: node test/harness/start.js [--port 8080] [--host 127.0.0.1] [--folder DIR] [--no-open] [--desktop]');
      process.exit(0);
    } else throw new Error(`unknown option ${argv[i]} (try --help)`);
  }
  if (!Number.isInteger(options.port) || options.port <= 0 || options.port > 65535) throw new Error('--port wants a number 1-65535');
  return options;
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Opens the URL in a browser when there is one; never fails. */
function openBrowser(url) {
  const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  const opener = process.env.BROWSER || (hasDisplay && onPath('xdg-open') ? 'xdg-open' : null);
  if (!opener) return false;
  try {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}

function runDesktop(options) {
  if (!onPath('code')) throw new Error('--desktop needs desktop VS Code (`code`) on PATH; without it, run without --desktop');
  const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: paths.root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  fs.mkdirSync(options.folder, { recursive: true });
  const result = spawnSync('code', [`--extensionDevelopmentPath=${paths.root}`, options.folder], { stdio: 'inherit' });
  return result.status ?? 1;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.desktop) return runDesktop(options);

  ensureTools();
  const { packageVsix } = require('./package');
  const { startCodeServer } = require('./codeServer');
  const vsix = packageVsix({ quiet: true });
  const server = await startCodeServer({
    label: 'start',
    stateDir: path.join(paths.tools, 'state', `start-${options.port}`),
    fresh: true,
    host: options.host,
    port: options.port,
    folder: options.folder,
    vsix,
    // Without a key the extension opens on its built-in simulator; with one it offers to use it.
    settings: { 'vastai.useSimulator': !process.env.VAST_API_KEY },
  });
  const url = server.workbenchUrl();
  console.log(`\nVast.ai GPU Explorer is running in VS Code (code-server) at:\n\n    ${url}\n`);
  console.log(process.env.VAST_API_KEY ? 'VAST_API_KEY is set: the extension offers to use it and talks to Vast.ai.'
    : 'VAST_API_KEY is not set: the extension runs against its built-in simulator (nothing is paid for).');
  if (options.host !== '127.0.0.1' && options.host !== 'localhost') {
    console.log(`Warning: listening on ${options.host} with no authentication.`);
  }
  console.log(`Logs: the extension's in VS Code (Output panel → "Vast.ai", or "Vast.ai: Show Log"); code-server's in ${path.relative(process.cwd(), server.dirs.log)}.`);
  console.log('Press Ctrl-C to stop.');
  if (options.open && !openBrowser(url)) console.log('(No browser found to open; open the URL yourself.)');

  return new Promise((resolve) => {
    let stopping = false;
    const stop = async (code) => {
      if (stopping) return;
      stopping = true;
      console.log('\nStopping code-server...');
      await server.stop();
      resolve(code);
    };
    process.on('SIGINT', () => stop(0));
    process.on('SIGTERM', () => stop(0));
    server.child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`code-server exited unexpectedly (${code ?? signal}). Last log lines:\n${server.logTail(20)}`);
      stop(1);
    });
  });
}

main().then((code) => process.exit(code), (error) => { console.error(error.message); process.exit(1); });
