import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { COMMANDS, CONTEXT_KEYS, INSTANCE_STATES, instanceContextValue, VIEW_ID } from '../../src/vscode/contributions';
import { SETTING_DEFAULTS, SETTING_LIMITS } from '../../src/ui/settings';

interface MenuItem {
  command: string;
  when?: string;
}
const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
const contributes = pkg.contributes;
const commandIds: string[] = Object.values(COMMANDS);
const menuItems = (): Array<MenuItem & { menu: string }> =>
  Object.entries(contributes.menus as Record<string, MenuItem[]>).flatMap(([menu, items]) => items.map((item) => ({ ...item, menu })));
const whenClauses = (): string[] => [
  ...menuItems().map((item) => item.when ?? ''),
  ...(contributes.viewsWelcome as Array<{ when: string }>).map((w) => w.when),
];
/** Every context value an instance item can have. */
const contextValues = INSTANCE_STATES.flatMap((state) =>
  [false, true].flatMap((jupyter) => [false, true].map((ssh) => instanceContextValue(state, { jupyter, ssh }))),
);

describe('package.json contributions match src/vscode/contributions.ts', () => {
  it('contributes exactly the commands the extension registers', () => {
    const contributed = (contributes.commands as Array<{ command: string }>).map((c) => c.command);
    assert.deepEqual([...contributed].sort(), [...commandIds].sort());
  });

  it('every menu entry names a registered command', () => {
    const unknown = menuItems().filter((item) => !commandIds.includes(item.command));
    assert.deepEqual(unknown, []);
  });

  it('when clauses use only the context keys the extension sets', () => {
    const known = new Set<string>([...Object.values(CONTEXT_KEYS), VIEW_ID]);
    const used = whenClauses().flatMap((when) => when.match(/\bvastai\.[\w.]+/g) ?? []);
    assert.deepEqual([...new Set(used.filter((key) => !known.has(key)))], []);
  });

  it('menus and welcome views are for the view the extension creates', () => {
    const views = whenClauses().flatMap((when) => [...when.matchAll(/\bview == ([\w.]+)/g)].map((m) => m[1]));
    assert.deepEqual([...new Set(views)], [VIEW_ID]);
    assert.deepEqual(contributes.views.vastai.map((v: { id: string }) => v.id), [VIEW_ID]);
  });

  it('every viewItem pattern matches some instance context value', () => {
    const patterns = menuItems().flatMap((item) => [...(item.when ?? '').matchAll(/viewItem =~ \/(.+?)\/(?:\s|$)/g)].map((m) => m[1]));
    assert.ok(patterns.length > 0);
    const dead = patterns.filter((pattern) => !contextValues.some((value) => new RegExp(pattern).test(value)));
    assert.deepEqual(dead, []);
  });

  it('every instance state has a menu (at least Destroy and Show Logs)', () => {
    const itemMenus = menuItems().filter((item) => item.menu === 'view/item/context');
    for (const value of contextValues) {
      const offered = itemMenus.filter((item) => new RegExp(item.when!.match(/viewItem =~ \/(.+?)\//)![1]).test(value)).map((item) => item.command);
      assert.ok(offered.includes(COMMANDS.destroyInstance) && offered.includes(COMMANDS.showInstanceLogs), value);
    }
  });

  it('settings defaults are the ones the code uses', () => {
    const properties = contributes.configuration.properties as Record<string, { default: unknown }>;
    const declared = Object.fromEntries(Object.entries(properties).map(([key, spec]) => [key.replace(/^vastai\./, ''), spec.default]));
    assert.deepEqual(declared, SETTING_DEFAULTS);
  });

  it('numeric settings have the limits the code clamps to', () => {
    const properties = contributes.configuration.properties as Record<string, { minimum?: number; maximum?: number }>;
    for (const [key, { min, max }] of Object.entries(SETTING_LIMITS)) {
      assert.deepEqual([properties[`vastai.${key}`].minimum, properties[`vastai.${key}`].maximum], [min, max], key);
    }
  });
});
