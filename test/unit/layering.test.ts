import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('layering', () => {
  it('only the VS Code layer (src/vscode, src/extension.ts) imports vscode', () => {
    const offenders = files(SRC)
      .filter((file) => !file.startsWith(path.join(SRC, 'vscode')) && file !== path.join(SRC, 'extension.ts'))
      .filter((file) => /from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(SRC, file));
    assert.deepEqual(offenders, []);
  });
});
