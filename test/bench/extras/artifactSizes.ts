import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(__dirname, '../../..');
const DIST = path.join(ROOT, 'dist');
const BUNDLE = path.join(DIST, 'extension.js');
const VSIX = path.join(ROOT, 'test', 'artifacts', 'vast-gpu-explorer.vsix');

export type Measured<T> = { value: T; note?: string } | { value?: undefined; note: string };

interface PiecesManifest {
  activation: string[];
  loadedBy: Record<string, string[]>;
  pieces: Record<string, { bytes: number }>;
}

export interface BundleSizes {
  /** extension.js and the pieces it requires: what VS Code loads to activate. */
  activationBytes: number;
  activationGzipBytes: number;
  /** What the session runtime (client, monitor, node-fetch, sharing) adds when the view first shows. */
  sessionBytes: number;
  /** Every piece of the extension, the demo simulator included. */
  totalBytes: number;
  pieces: number;
}

/** The extension's pieces as `npm run bench` just built them (production: minified, no source map). */
export function bundleSize(): Measured<BundleSizes> {
  const manifestFile = path.join(DIST, 'extension-pieces.json');
  if (!fs.existsSync(BUNDLE) || !fs.existsSync(manifestFile)) return { note: 'dist/extension.js missing (run `npm run bench`, which builds it)' };
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as PiecesManifest;
  const bytesOf = (pieces: string[]) => pieces.reduce((sum, piece) => sum + manifest.pieces[piece].bytes, 0);
  const runtime = Object.keys(manifest.loadedBy).find((piece) => path.basename(piece).startsWith('sessionRuntime-'));
  const activation = Buffer.concat(manifest.activation.map((piece) => fs.readFileSync(path.join(DIST, piece))));
  // A development build ends with a source-map comment (a stale .map file may linger beside a production one).
  const production = !activation.toString('utf8').includes('//# sourceMappingURL=');
  return {
    value: {
      activationBytes: activation.length,
      activationGzipBytes: gzipSync(activation).length,
      sessionBytes: runtime ? bytesOf(manifest.loadedBy[runtime]) : 0,
      totalBytes: bytesOf(Object.keys(manifest.pieces)),
      pieces: Object.keys(manifest.pieces).length,
    },
    note: production ? undefined : 'not a production build (it links a source map)',
  };
}

/** Packs the .vsix with the harness (`node test/harness/package.js`), which installs its pinned tools when missing. */
export function vsixSize(skip: boolean): Measured<number> {
  const tools = createRequire(__filename)(path.join(ROOT, 'test', 'harness', 'tools.js')) as { isInstalled(): boolean };
  const installed = tools.isInstalled();
  if (skip) return { note: `skipped (--no-vsix${installed ? '' : '; the harness tools are not installed'})` };
  const note = installed ? undefined : 'the harness tools were not installed: package.js installed them first';
  const result = spawnSync(process.execPath, [path.join(ROOT, 'test', 'harness', 'package.js')], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  if (result.status !== 0 || !fs.existsSync(VSIX)) {
    const why = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').filter(Boolean).at(-1) ?? `exit ${result.status ?? result.signal}`;
    return { note: `n/a (packaging failed: ${why})` };
  }
  return { value: fs.statSync(VSIX).size, note };
}
