import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSshHost } from '../../../src/ui/ssh/sshConfig';

// Finding 7: SSH config writes are serialised in the process and locked across windows; symlinks stay symlinks.
describe('hardening: SSH config writes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'vast-sshcfg-')));
  });
  afterEach(async () => fsp.rm(dir, { recursive: true, force: true }));

  const entry = (id: number) => ({ alias: `vast-${id}`, hostName: '10.0.0.1', port: 22, user: 'root' });
  const aliases = async (file: string) => [...(await fsp.readFile(file, 'utf8')).matchAll(/^Host (vast-\d+)$/gm)].map((m) => m[1]).sort();

  it('keeps all four of four concurrent writes', async () => {
    const file = path.join(dir, 'config');
    await fsp.writeFile(file, 'Host *\n  ServerAliveInterval 30\n');
    await Promise.all([1, 2, 3, 4].map((id) => writeSshHost(file, entry(id))));
    assert.deepEqual(await aliases(file), ['vast-1', 'vast-2', 'vast-3', 'vast-4']);
    assert.match(await fsp.readFile(file, 'utf8'), /ServerAliveInterval 30/);
    assert.deepEqual((await fsp.readdir(dir)).sort(), ['config'], 'no lock or temporary file left behind');
  });

  it('keeps every entry when three processes (windows) write at once', async function () {
    this.timeout(90_000); // three Node processes starting with the TypeScript loader: slow on a busy machine
    const file = path.join(dir, 'config');
    const child = path.join(__dirname, '../../support/sshConfigWriterChild.ts');
    const run = (ids: number[]) =>
      new Promise<number>((resolve) => {
        const proc = spawn(process.execPath, ['--import', 'tsx', child, file, ...ids.map(String)], { stdio: ['ignore', 'ignore', 'inherit'] });
        proc.on('exit', (code) => resolve(code ?? 1));
      });
    const codes = await Promise.all([run([1, 2, 3]), run([4, 5, 6]), run([7, 8, 9])]);
    assert.deepEqual(codes, [0, 0, 0]);
    assert.deepEqual(await aliases(file), [1, 2, 3, 4, 5, 6, 7, 8, 9].map((id) => `vast-${id}`).sort());
  });

  it('writes through a symlink and keeps it a symlink', async () => {
    const real = path.join(dir, 'dotfiles-config');
    const link = path.join(dir, 'config');
    await fsp.writeFile(real, 'Host old\n');
    await fsp.symlink(real, link);
    const edit = await writeSshHost(link, entry(1));
    assert.equal(edit.file, real);
    assert.ok((await fsp.lstat(link)).isSymbolicLink());
    assert.deepEqual(await aliases(real), ['vast-1']);
  });

  it('a dangling symlink stays a symlink: the file it names is created (mode 600)', async () => {
    const real = path.join(dir, 'dotfiles', 'ssh', 'config');
    const link = path.join(dir, 'config');
    await fsp.symlink(path.relative(dir, real), link);
    const edit = await writeSshHost(link, entry(2));
    assert.equal(edit.file, real);
    assert.equal(edit.created, true);
    assert.ok((await fsp.lstat(link)).isSymbolicLink(), 'still a symlink');
    assert.deepEqual(await aliases(link), ['vast-2']);
    assert.equal((await fsp.stat(real)).mode & 0o777, 0o600);
  });

  it('a loop of symlinks is refused with a clear message, nothing written', async () => {
    await fsp.symlink(path.join(dir, 'b'), path.join(dir, 'a'));
    await fsp.symlink(path.join(dir, 'a'), path.join(dir, 'b'));
    await assert.rejects(writeSshHost(path.join(dir, 'a'), entry(3)), /loop of symbolic links/);
  });
});
