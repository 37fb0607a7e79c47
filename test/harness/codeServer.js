// Starts code-server (VS Code's server + web workbench) quietly and in isolation:
// its own HOME/TMPDIR/XDG dirs, user-data and extensions dirs under one state dir, no marketplace,
// no auth, 127.0.0.1 only, its own process group (killed as a whole on stop).
//
//   const server = await startCodeServer({ folder, vsix, smokeTestDriver: true, env: { VAST_API_KEY: undefined } });
//   ... server.url ...
//   await server.stop();
//
// Options:
//   stateDir        where everything lives (default: a fresh .tools/state/<label>-<pid>, removed on stop)
//   fresh           wipe stateDir first (default true for the default stateDir)
//   port            fixed port (default: a free one); host defaults to 127.0.0.1
//   folder          workspace folder to open (created when missing)
//   workspace       true: open an empty folder <stateDir>/workspace instead (removed with the state)
//   vsix            install this .vsix into the extensions dir first
//   smokeTestDriver pass `--vscode-option enable-smoke-test-driver` (needed for extension tests)
//   env             extra env for code-server and so for the extension host; a value of undefined deletes
//   settings        extra user settings merged over the quiet defaults
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { paths, codeServerCommand, node24Env } = require('./tools');

const DEFAULT_SETTINGS = {
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'window.restoreWindows': 'none',
};

function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function portInUse(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => { req.destroy(); resolve(false); });
  });
}

/** Directories and environment for one isolated code-server. */
function layout(stateDir, extraEnv = {}) {
  const dirs = {
    state: stateDir,
    home: path.join(stateDir, 'home'),
    tmp: path.join(stateDir, 'tmp'),
    userData: path.join(stateDir, 'user-data'),
    extensions: path.join(stateDir, 'extensions'),
    log: path.join(stateDir, 'code-server.log'),
  };
  for (const dir of [dirs.home, dirs.tmp, dirs.userData, dirs.extensions]) fs.mkdirSync(dir, { recursive: true });
  const env = node24Env({
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    XDG_RUNTIME_DIR: dirs.tmp,
    EXTENSIONS_GALLERY: '{}',
  });
  // Never leak these from the caller: an outer code-server/VS Code's IPC handles confuse the inner one.
  for (const key of Object.keys(env)) {
    if (/^(VSCODE_|ELECTRON_RUN_AS_NODE$|PASSWORD$|HASHED_PASSWORD$|PORT$)/.test(key)) delete env[key];
  }
  for (const [key, value] of Object.entries(extraEnv)) {
    if (value === undefined || value === null) delete env[key];
    else env[key] = String(value);
  }
  return { dirs, env };
}

function seedSettings(userDataDir, settings) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2)}\n`);
}

function profileArgs(dirs) {
  return ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

/** Runs the code-server CLI once (install/list extensions); throws with its output on failure. */
function codeServerCli(dirs, env, args) {
  const [command, baseArgs] = codeServerCommand([...profileArgs(dirs), ...args]);
  const result = spawnSync(command, baseArgs, { env, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(`code-server ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function startCodeServer(options = {}) {
  const label = options.label || 'code-server';
  const host = options.host || '127.0.0.1';
  const port = options.port || await freePort(host);
  if (await portInUse(port, host)) throw new Error(`port ${port} on ${host} is already in use (pass another with --port)`);

  const defaultState = !options.stateDir;
  const stateDir = options.stateDir || path.join(paths.tools, 'state', `${label}-${process.pid}`);
  if (options.fresh ?? defaultState) fs.rmSync(stateDir, { recursive: true, force: true });
  const { dirs, env } = layout(stateDir, options.env);
  seedSettings(dirs.userData, options.settings || {});

  if (options.vsix) codeServerCli(dirs, env, ['--install-extension', options.vsix, '--force']);

  const folder = options.workspace ? path.join(stateDir, 'workspace') : options.folder && path.resolve(options.folder);
  if (folder) fs.mkdirSync(folder, { recursive: true });

  const args = [
    '--bind-addr', `${host}:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...profileArgs(dirs),
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.extraArgs || []),
    ...(folder ? [folder] : []),
  ];
  const [command, fullArgs] = codeServerCommand(args);
  const logFd = fs.openSync(dirs.log, 'a');
  const child = spawn(command, fullArgs, {
    env,
    cwd: dirs.home,
    detached: true, // own process group: stop() kills the server, its extension host and watchers
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);

  let exited = null;
  child.once('exit', (code, signal) => { exited = { code, signal }; });
  const killGroup = (signal) => {
    try { process.kill(-child.pid, signal); } catch { /* already gone */ }
  };
  const removeState = () => {
    if (defaultState && !process.env.HARNESS_KEEP_STATE) fs.rmSync(stateDir, { recursive: true, force: true });
  };
  const onParentExit = () => { killGroup('SIGKILL'); removeState(); }; // process.exit() without stop()
  process.once('exit', onParentExit);

  async function stop() {
    process.removeListener('exit', onParentExit);
    if (!exited) {
      killGroup('SIGTERM');
      const deadline = Date.now() + 5000;
      while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    }
    killGroup('SIGKILL'); // stragglers in the group (extension host, file watcher)
    removeState();
  }

  const url = `http://${host}:${port}/`;
  const deadline = Date.now() + (options.startTimeoutMs || 60_000);
  while (!(await httpOk(`${url}healthz`))) {
    if (exited || Date.now() > deadline) {
      const why = exited ? `exited (${exited.code ?? exited.signal})` : 'did not answer /healthz in time';
      const log = tail(dirs.log);
      await stop();
      throw new Error(`code-server ${why}. Last log lines:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    host,
    port,
    folder,
    folderName: folder && path.basename(folder),
    dirs,
    env,
    child,
    stop,
    /** URL that opens `folder` (or the server's folder) with optional extra query parameters. */
    workbenchUrl(query = {}) {
      const params = { ...(folder ? { folder } : {}), ...query };
      const q = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2F/g, '/')}`).join('&');
      return q ? `${url}?${q}` : url;
    },
    listExtensions: () => codeServerCli(dirs, env, ['--list-extensions', '--show-versions']).trim().split('\n').filter(Boolean),
    logTail: (lines) => tail(dirs.log, lines),
  };
}

module.exports = { startCodeServer, freePort, DEFAULT_SETTINGS };
