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

/** The project files `file` imports (type-only imports too: a cycle of types is still a tangle). */
function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
  return specifiers.map((specifier) => {
    const base = path.resolve(path.dirname(file), specifier);
    return [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate)) ?? `${base}.ts`;
  });
}

/** Each import cycle once, as the files around it (relative to src). */
function cycles(all: string[]): string[][] {
  const graph = new Map(all.map((file) => [file, imports(file)]));
  const found = new Map<string, string[]>();
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(next)).map((f) => path.relative(SRC, f));
        found.set([...cycle].sort().join(' '), cycle);
      } else if (!state.has(next) && graph.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of all) if (!state.has(file)) visit(file);
  return [...found.values()];
}

describe('layering', () => {
  it('only the VS Code layer (src/vscode, src/extension.ts) imports vscode', () => {
    const offenders = files(SRC)
      .filter((file) => !file.startsWith(path.join(SRC, 'vscode')) && file !== path.join(SRC, 'extension.ts'))
      .filter((file) => /from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(SRC, file));
    assert.deepEqual(offenders, []);
  });

  it('src has no import cycles', () => {
    assert.deepEqual(cycles(files(SRC)), []);
  });

  it('the cycle check finds a cycle when there is one', () => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'cycles-'));
    fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = b;\n");
    fs.writeFileSync(path.join(dir, 'b.ts'), "import type { a } from './a';\nexport const b = 1 as unknown as typeof a;\n");
    try {
      assert.equal(cycles(files(dir)).length, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the UI layer imports from src/vscode only the plain contract (contributions.ts)', () => {
    const offenders = files(path.join(SRC, 'ui')).flatMap((file) =>
      imports(file)
        .filter((target) => target.startsWith(path.join(SRC, 'vscode')) && target !== path.join(SRC, 'vscode', 'contributions.ts'))
        .map((target) => `${path.relative(SRC, file)} → ${path.relative(SRC, target)}`),
    );
    assert.deepEqual(offenders, []);
  });
});
