import assert from 'node:assert/strict';
import { jupyterAccess, jupyterUrl } from '../../../../src/ui/jupyterUrl';
import { instanceSshCommand, sshCommand, sshEndpoint } from '../../../../src/ui/ssh/sshEndpoint';
import { fakeInstance } from '../../../support/fixtures';

describe('SSH endpoint (vast-api.md §2)', () => {
  it('is direct when ports["22/tcp"] is mapped: public IP and the host port', () => {
    const instance = fakeInstance();
    assert.deepEqual(sshEndpoint(instance), { host: '142.214.185.187', port: 20022, user: 'root', kind: 'direct' });
    assert.equal(instanceSshCommand(instance), 'ssh -p 20022 root@142.214.185.187');
  });

  it('falls back to the proxy ssh_host:ssh_port without a direct mapping', () => {
    const instance = fakeInstance({ ports: null });
    assert.deepEqual(sshEndpoint(instance), { host: 'ssh5.vast.ai', port: 12345, user: 'root', kind: 'proxy' });
    assert.equal(instanceSshCommand(instance), 'ssh -p 12345 root@ssh5.vast.ai');
    assert.equal(sshEndpoint(fakeInstance({ ports: { '8080/tcp': [{ HostIp: '0.0.0.0', HostPort: '20023' }] } }))!.kind, 'proxy');
  });

  it('uses ssh_port + 1 on the proxy when the runtype contains jupyter', () => {
    const instance = fakeInstance({ ports: null, image_runtype: 'jupyter_proxy ssh_proxy' });
    assert.equal(sshCommand(sshEndpoint(instance)!), 'ssh -p 12346 root@ssh5.vast.ai');
    // Direct SSH is not shifted.
    assert.equal(sshEndpoint(fakeInstance({ image_runtype: 'jupyter_direc ssh_direc ssh_proxy' }))!.port, 20022);
  });

  it('trims the IP, ignores an unusable port map, and has no endpoint without proxy details', () => {
    assert.equal(sshEndpoint(fakeInstance({ public_ipaddr: ' 1.2.3.4\n' }))!.host, '1.2.3.4');
    assert.equal(sshEndpoint(fakeInstance({ ports: { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: 'x' }] } }))!.kind, 'proxy');
    assert.equal(sshEndpoint(fakeInstance({ ports: { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '20022' }] }, public_ipaddr: null }))!.kind, 'proxy');
    assert.equal(sshEndpoint(fakeInstance({ ports: null, ssh_host: null })), undefined);
    assert.equal(instanceSshCommand(fakeInstance({ ports: null, ssh_port: null })), undefined);
  });
});

describe('Jupyter URL', () => {
  const jupyter = { image_runtype: 'jupyter_direc ssh_direc ssh_proxy', jupyter_token: 'tok/en+1' };

  it('opens the direct HTTPS port mapped to 8080 with the token', () => {
    const instance = fakeInstance({ ...jupyter, ports: { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '20022' }], '8080/tcp': [{ HostIp: '0.0.0.0', HostPort: '20023' }] } });
    assert.equal(jupyterUrl(instance), 'https://142.214.185.187:20023/?token=tok%2Fen%2B1');
  });

  it('suggests an SSH tunnel when the machine has no public Jupyter port', () => {
    const access = jupyterAccess(fakeInstance({ ...jupyter, image_runtype: 'jupyter_proxy ssh_proxy', ports: {} }));
    assert.deepEqual(access, {
      kind: 'tunnel',
      sshCommand: 'ssh -p 12346 root@ssh5.vast.ai -N -L 8080:localhost:8080',
      url: 'https://localhost:8080/?token=tok%2Fen%2B1',
    });
  });

  it('is not available without a Jupyter runtype, or while not running', () => {
    assert.deepEqual(jupyterAccess(fakeInstance()), { kind: 'none', reason: 'it was not started with Jupyter' });
    assert.match((jupyterAccess(fakeInstance({ ...jupyter, actual_status: 'loading' })) as { reason: string }).reason, /loading, not running/);
    assert.equal(jupyterUrl(fakeInstance({ ...jupyter, actual_status: 'stopped' })), undefined);
  });
});
