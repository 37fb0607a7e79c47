import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VastApiError } from '../../../src/api/errors';
import { importCliKeyFlow, setApiKeyFlow, type KeyFlowDeps } from '../../../src/ui/apiKeyFlows';
import { DEFAULT_SETTINGS } from '../../../src/ui/settings';
import { isDefaultApiHost, readSettingsFrom, type SettingInspection } from '../../../src/ui/settingsReader';
import type { User } from '../../../src/vast/types';
import { ScriptedPrompter } from '../../support/scriptedPrompter';

// Finding 1: a workspace cannot choose where the key goes or how hard the API is hit.
describe('hardening: settings a workspace cannot override', () => {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
  const configuration = Array.isArray(manifest.contributes.configuration) ? manifest.contributes.configuration[0] : manifest.contributes.configuration;
  const guarded = ['apiUrl', 'requestIntervals', 'maxRetries', 'defaultImage', 'refreshInterval', 'searchCacheSeconds', 'defaultDiskGb'].map((s) => `vastai.${s}`);

  it('package.json scopes the key host, the limits and the image to the user (application/machine)', () => {
    for (const name of guarded) assert.ok(['application', 'machine'].includes(configuration.properties[name]?.scope), `${name} has scope ${configuration.properties[name]?.scope}`);
  });

  it('package.json declares untrusted-workspace support with those settings restricted', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    for (const name of guarded) assert.ok(untrusted.restrictedConfigurations.includes(name), name);
  });

  it('the settings reader ignores workspace and folder values', () => {
    const evil: Record<string, unknown> = {
      apiUrl: 'https://evil.example',
      requestIntervals: { instances: 0, search: 0 },
      maxRetries: 10,
      defaultImage: 'evil/miner:latest',
      refreshInterval: 10,
      searchCacheSeconds: 0,
      defaultDiskGb: 2048,
    };
    const source = {
      inspect<T>(key: string): SettingInspection<T> {
        return { defaultValue: undefined, workspaceValue: evil[key] as T, workspaceFolderValue: evil[key] as T };
      },
    };
    const settings = readSettingsFrom(source);
    assert.deepEqual(settings, DEFAULT_SETTINGS);
    const mine = readSettingsFrom({ inspect: <T>(key: string) => ({ globalValue: (key === 'apiUrl' ? 'http://127.0.0.1:9' : undefined) as T, workspaceValue: evil[key] as T }) });
    assert.equal(mine.apiUrl, 'http://127.0.0.1:9', 'the user may still choose a host');
  });

  describe('key prompts', () => {
    const user: User = { id: 1, username: 'ann', email: 'a@example.com', fullname: null, credit: 1, balance: 0, has_billing: true, can_pay: true, email_verified: true };
    function deps(prompter: ScriptedPrompter, apiUrl: string, verified: string[], stored: string[], verify?: () => Promise<User>): KeyFlowDeps {
      return {
        prompter,
        apiUrl,
        store: { get: async () => undefined, set: async (key) => void stored.push(key), delete: async () => undefined },
        verify: async (key) => {
          verified.push(key);
          return verify ? verify() : user;
        },
        findCliKey: () => ({ key: 'cli-key-0123456789abcdef', source: '~/.config/vastai/vast_api_key' }),
        onKeyChanged: async () => undefined,
      };
    }

    it('offers the CLI key only for the default host', async () => {
      assert.ok(isDefaultApiHost(DEFAULT_SETTINGS.apiUrl));
      assert.ok(!isDefaultApiHost('https://evil.example'));
      const verified: string[] = [];
      const stored: string[] = [];
      const prompter = new ScriptedPrompter().onNotice('warning', /only used with console\.vast\.ai.*evil\.example/);
      assert.equal(await importCliKeyFlow(deps(prompter, 'https://evil.example', verified, stored)), false);
      prompter.assertDone();
      assert.deepEqual(verified, [], 'the CLI key was not sent');
      assert.deepEqual(stored, [], 'nor stored');
    });

    it('the key prompt names a host that is not the default', async () => {
      const verified: string[] = [];
      const prompter = new ScriptedPrompter().type('pasted-key-0123456789').onNotice('info', /Connected/);
      await setApiKeyFlow(deps(prompter, 'http://127.0.0.1:9', verified, []));
      assert.match(prompter.prompts[0].prompt ?? '', /127\.0\.0\.1:9/);
      const plain = new ScriptedPrompter().type('pasted-key-0123456789').onNotice('info', /Connected/);
      await setApiKeyFlow(deps(plain, DEFAULT_SETTINGS.apiUrl, [], []));
      assert.doesNotMatch(plain.prompts[0].prompt ?? '', /not Vast\.ai's own host/);
    });

    it('"Save Anyway" names a host that is not the default', async () => {
      const stored: string[] = [];
      const down = () => Promise.reject(new VastApiError('network', 'Could not reach it.'));
      const prompter = new ScriptedPrompter().type('pasted-key-0123456789').onNotice('warning', /Could not check .*127\.0\.0\.1:9/, 'Save Anyway').onNotice('info', /Connected/);
      assert.equal(await setApiKeyFlow(deps(prompter, 'http://127.0.0.1:9', [], stored, down)), true);
      prompter.assertDone();
      assert.deepEqual(stored, ['pasted-key-0123456789']);
    });
  });
});
