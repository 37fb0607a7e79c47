#!/usr/bin/env node
// Builds the production bundle and packs it with vsce into test/artifacts/vast-gpu-explorer.vsix,
// then lists the .vsix and fails if anything but the bundle, package.json, README, CHANGELOG, LICENSE
// and media/ got in (.vscodeignore at the repo root decides what goes in).
// CLI: `node test/harness/package.js`; module: `packageVsix()` returns the .vsix path.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureTools, paths, node24Env } = require('./tools');

const ROOT = paths.root;
const VSIX = path.join(ROOT, 'test', 'artifacts', 'vast-gpu-explorer.vsix');
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/dist\/extension\.js$/,
  /^extension\/dist\/chunks\/[\w-]+\.js$/,
  /^extension\/(readme|changelog)\.md$/i,
  /^extension\/license(\.md|\.txt)?$/i,
  /^extension\/media\/.+/,
];

/** Runs a step; `quiet` keeps its output (vsce's file tree and size notes) unless it fails. */
function run(command, args, env = process.env, cwd = ROOT, quiet = false) {
  const result = spawnSync(command, args, { cwd, env, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`failed (exit ${result.status ?? result.signal}): ${command} ${args.join(' ')}`);
  }
}

/** Entry names and sizes from a zip's central directory (enough for a .vsix; no zip64). */
function zipEntries(file) {
  const buf = fs.readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${file} is not a zip`);
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(offset) !== 0x02014b50) throw new Error('bad zip central directory');
    const size = buf.readUInt32LE(offset + 24);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    entries.push({ name: buf.toString('utf8', offset + 46, offset + 46 + nameLength), size });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * vsce refuses a manifest with `main` but neither `activationEvents` nor a contribution that implies
 * one (commands, views, ...), which is the state of the stub. Until package.json has one, pack a copy
 * of the repo (without node_modules/.git/.tools) whose package.json says `"activationEvents": []`,
 * which changes nothing at run time. Returns the directory to run vsce in.
 */
function packDir() {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const implicit = ['commands', 'views', 'viewsContainers', 'authentication', 'customEditors', 'languages',
    'notebooks', 'terminal', 'walkthroughs', 'webviews', 'jsonValidation', 'tasks']
    .some((key) => manifest.contributes && key in manifest.contributes);
  if (!manifest.main || manifest.activationEvents || implicit) return ROOT;
  console.warn('[package] package.json has "main" but no activationEvents and no commands/views: vsce would refuse it.\n' +
    '[package] Packing a staged copy with "activationEvents": [] (add activationEvents to package.json to stop this).');
  const stage = path.join(paths.tools, 'state', 'pack-stage');
  fs.rmSync(stage, { recursive: true, force: true });
  const skip = new Set(['node_modules', '.git', '.tools', '.vscode-test', 'out', 'test']);
  for (const entry of fs.readdirSync(ROOT)) {
    if (!skip.has(entry)) fs.cpSync(path.join(ROOT, entry), path.join(stage, entry), { recursive: true });
  }
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify({ ...manifest, activationEvents: [] }, null, 2));
  return stage;
}

function packageVsix({ quiet = false } = {}) {
  ensureTools({ quiet: true });
  const started = Date.now();
  run(process.execPath, ['esbuild.js', '--production'], process.env, ROOT, quiet);
  fs.mkdirSync(path.dirname(VSIX), { recursive: true });
  fs.rmSync(VSIX, { force: true });
  // --no-dependencies: everything is bundled by esbuild, so vsce must not walk node_modules.
  // --allow-missing-repository / --skip-license: no prompts while package.json has no repository/LICENSE.
  run(paths.node24(), [paths.vsceEntry(), 'package', '--no-dependencies', '--allow-missing-repository',
    '--skip-license', '--out', VSIX], node24Env(), packDir(), quiet);
  fs.rmSync(path.join(paths.tools, 'state', 'pack-stage'), { recursive: true, force: true });
  const entries = zipEntries(VSIX);
  const unexpected = entries.filter((e) => !ALLOWED.some((re) => re.test(e.name)));
  if (!quiet) {
    console.log(`[package] ${path.relative(ROOT, VSIX)}: ${fs.statSync(VSIX).size} bytes, ${entries.length} entries, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const e of entries) console.log(`[package]   ${String(e.size).padStart(9)}  ${e.name}`);
  }
  if (unexpected.length) {
    throw new Error(`[package] unexpected files in the .vsix (fix .vscodeignore): ${unexpected.map((e) => e.name).join(', ')}`);
  }
  return VSIX;
}

module.exports = { packageVsix, zipEntries, VSIX };

if (require.main === module) {
  try {
    packageVsix();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
