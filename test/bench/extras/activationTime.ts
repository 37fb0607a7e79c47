import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Measured } from './artifactSizes';

const ROOT = path.resolve(__dirname, '../../..');

/** Runs the integration suite in a real VS Code (code-server) and reads its `activation: N ms` line. */
export function activationTime(skip: boolean): Measured<number> {
  if (skip) return { note: 'skipped (--quick)' };
  // Only the activation tests: the rest of the suite is not what is measured here.
  const result = spawnSync(process.execPath, [path.join(ROOT, 'test', 'integration', 'runTest.js')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, INTEGRATION_GREP: 'activation', INTEGRATION_PRODUCTION: '1' },
  });
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  const match = /activation: ([\d.]+) ms( \(was already active\))?/.exec(output);
  if (!match) {
    const why = output.trim().split('\n').filter(Boolean).at(-1) ?? `exit ${result.status ?? result.signal}`;
    return { note: `n/a (no activation line: ${why})` };
  }
  return { value: Number(match[1]), note: match[2] ? 'the extension was already active' : undefined };
}
