import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteSshHost, removeSshHost, upsertSshHost, writeSshHost, type SshHostEntry } from '../../../../src/ui/ssh/sshConfig';

const entry = (id: number, hostName = '1.2.3.4', port = 20022): SshHostEntry => ({ alias: `vast-${id}`, hostName, port, user: 'root' });

const BLOCK_7 = [
  '# --- vast-gpu-explorer begin vast-7 ---',
  'Host vast-7',
  '  HostName 1.2.3.4',
  '  Port 20022',
  '  User root',
  '  StrictHostKeyChecking accept-new',
  '  HostKeyAlias vast-7',
  '  UserKnownHostsFile ~/.ssh/known_hosts_vast',
  '# --- vast-gpu-explorer end vast-7 ---',
];

describe('SSH config upsert', () => {
  it('writes a new block into an empty config', () => {
    const { text, changed } = upsertSshHost('', entry(7));
    assert.ok(changed);
    assert.equal(text, BLOCK_7.join('\n') + '\n');
  });

  it('keeps global options global and other hosts intact, inserting before the first Host section', () => {
    const original = ['# my config', 'ServerAliveInterval 30', '', 'Host work', '  HostName work.example.com', '', 'Host *', '  User me', ''].join('\n');
    const { text } = upsertSshHost(original, entry(7));
    const lines = text.split('\n');
    assert.deepEqual(lines.slice(0, 3), ['# my config', 'ServerAliveInterval 30', '']);
    assert.deepEqual(lines.slice(3, 12), BLOCK_7);
    assert.equal(lines[12], '');
    assert.deepEqual(lines.slice(13), ['Host work', '  HostName work.example.com', '', 'Host *', '  User me', '']);
    assert.equal(removeSshHost(text, 'vast-7').text, original, 'insert + remove gives back the original');
  });

  it('appends after a config without sections, and groups Vast blocks together', () => {
    const first = upsertSshHost('ForwardAgent no\n', entry(7)).text;
    assert.equal(first, ['ForwardAgent no', '', ...BLOCK_7, ''].join('\n'));
    const second = upsertSshHost(first + '\nHost other\n  HostName o\n', entry(8)).text;
    const lines = second.split('\n');
    const end7 = lines.indexOf('# --- vast-gpu-explorer end vast-7 ---');
    assert.equal(lines[end7 + 2], '# --- vast-gpu-explorer begin vast-8 ---');
    assert.ok(lines.indexOf('Host other') > lines.indexOf('# --- vast-gpu-explorer end vast-8 ---'));
  });

  it('updates a block in place when the endpoint changes, and is idempotent', () => {
    const original = ['Host a', '  HostName a', '', ...BLOCK_7, '', 'Host b', '  HostName b', ''].join('\n');
    const moved = upsertSshHost(original, entry(7, 'ssh5.vast.ai', 12345));
    assert.ok(moved.changed);
    const lines = moved.text.split('\n');
    assert.deepEqual(lines.slice(0, 3), ['Host a', '  HostName a', '']);
    assert.equal(lines[5], '  HostName ssh5.vast.ai');
    assert.equal(lines[6], '  Port 12345');
    assert.deepEqual(lines.slice(12), ['', 'Host b', '  HostName b', '']);
    assert.equal(lines.filter((l) => l.startsWith('Host vast-7')).length, 1);
    const again = upsertSshHost(moved.text, entry(7, 'ssh5.vast.ai', 12345));
    assert.equal(again.changed, false);
    assert.equal(again.text, moved.text);
  });

  it('keeps CRLF line endings and repairs a block whose end marker was deleted', () => {
    const crlf = upsertSshHost('Host a\r\n  HostName a\r\n', entry(7));
    assert.ok(crlf.text.includes('Host vast-7\r\n  HostName 1.2.3.4\r\n'));
    assert.ok(!/[^\r]\n/.test(crlf.text));
    const broken = [...BLOCK_7.slice(0, -1), 'Host b', '  HostName b', ''].join('\n');
    const repaired = upsertSshHost(broken, entry(7, '5.6.7.8')).text;
    assert.equal(repaired.split('\n').filter((l) => l === 'Host vast-7').length, 1);
    assert.ok(repaired.includes('  HostName 5.6.7.8\n'));
    assert.ok(repaired.includes('known_hosts_vast\n# --- vast-gpu-explorer end vast-7 ---\nHost b\n  HostName b\n'));
  });

  it('refuses values that would break the file', () => {
    assert.throws(() => upsertSshHost('', { ...entry(7), hostName: 'a b' }), /Invalid SSH host name/);
    assert.throws(() => upsertSshHost('', { ...entry(7), port: 0 }), /Invalid SSH port/);
  });
});

describe('SSH config file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vast-ssh-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the directory (700) and the file (600) when missing', async () => {
    const file = path.join(dir, '.ssh', 'config');
    const edit = await writeSshHost(file, entry(7));
    assert.deepEqual(edit, { changed: true, created: true, file });
    assert.equal(fs.readFileSync(file, 'utf8'), BLOCK_7.join('\n') + '\n');
    if (process.platform !== 'win32') {
      assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    }
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['config'], 'no temporary file left behind');
  });

  it('keeps other hosts, the mode and a symlink; a second write changes nothing', async () => {
    const real = path.join(dir, 'dotfiles-ssh-config');
    fs.writeFileSync(real, 'Host work\n  HostName work.example.com\n', { mode: 0o640 });
    fs.chmodSync(real, 0o640);
    const link = path.join(dir, 'config');
    fs.symlinkSync(real, link);
    const edit = await writeSshHost(link, entry(7));
    assert.equal(edit.changed, true);
    assert.equal(edit.created, false);
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the symlink is kept');
    const text = fs.readFileSync(real, 'utf8');
    assert.ok(text.startsWith(BLOCK_7.join('\n') + '\n\nHost work\n  HostName work.example.com\n'));
    if (process.platform !== 'win32') assert.equal(fs.statSync(real).mode & 0o777, 0o640);
    assert.equal((await writeSshHost(link, entry(7))).changed, false);
    assert.equal((await deleteSshHost(link, 'vast-7')).changed, true);
    assert.equal(fs.readFileSync(real, 'utf8'), 'Host work\n  HostName work.example.com\n');
    assert.equal((await deleteSshHost(path.join(dir, 'missing'), 'vast-7')).changed, false);
    assert.ok(!fs.existsSync(path.join(dir, 'missing')));
  });
});
