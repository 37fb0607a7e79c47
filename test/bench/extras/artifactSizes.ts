import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(__dirname, '../../..');
const BUNDLE = path.join(ROOT, 'dist', 'extension.js');
const VSIX = path.join(ROOT, 'test', 'artifacts', 'vast-gpu-explorer.vsix');

export type Measured<T> = { value: T; note?: string } | { value?: undefined; note: string };

/** `dist/extension.js` as `npm run bench` just built it (production: minified, no source map). */
export function bundleSize(): Measured<{ bytes: number; gzipBytes: number }> {
  if (!fs.existsSync(BUNDLE)) return { note: 'dist/extension.js missing (run `npm run bench`, which builds it)' };
  const content = fs.readFileSync(BUNDLE);
  // A development build ends with a source-map comment (a stale .map file may linger beside a production one).
  const production = !content.toString('utf8').includes('//# sourceMappingURL=');
  return { value: { bytes: content.length, gzipBytes: gzipSync(content).length }, note: production ? undefined : 'not a production build (it links a source map)' };
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
