import assert from 'node:assert/strict';
import { presentInstance } from '../../../src/ui/instancePresentation';
import { RateLimitIndicator } from '../../../src/ui/rateLimitIndicator';
import { codeSpan, escapeMarkdown } from '../../../src/util/markdown';
import { fakeInstance } from '../../support/fixtures';

// Finding 9: API text is escaped in Markdown tooltips; it never becomes a link, an image, HTML or a table break.
describe('hardening: API text in Markdown tooltips', () => {
  const NOW = Date.UTC(2026, 0, 1, 12);
  const attacks = ['x`](command:vastai.destroyInstance)', '[click](https://evil.example)', '![img](https://evil.example/p.png)', '<img src=x onerror=alert(1)>', 'a|b\n| injected | row |'];

  /** Markdown that would act: an unescaped link/image opener, HTML tag, or a raw line break. */
  function assertInert(markdown: string, text: string) {
    assert.doesNotMatch(markdown, /(^|[^\\])\]\(/, `a link from ${JSON.stringify(text)}`);
    assert.doesNotMatch(markdown, /(^|[^\\])<img/, `HTML from ${JSON.stringify(text)}`);
    assert.doesNotMatch(markdown, /(^|[^\\])\| injected/, `a table row from ${JSON.stringify(text)}`);
  }

  for (const text of attacks) {
    it(`escapes ${JSON.stringify(text)} as an image name, a status message and a label`, () => {
      const look = presentInstance(fakeInstance({ image_uuid: text, status_msg: text, label: text }), NOW);
      assertInert(look.tooltip, text);
    });

    it(`escapes ${JSON.stringify(text)} as server error text in the status bar tooltip`, () => {
      const view = new RateLimitIndicator().render({
        now: NOW,
        gates: [],
        key: 'ok',
        simulated: false,
        monitor: { instances: new Map(), stale: true, polling: false, polledAt: NOW - 1000, lastError: { at: NOW, message: `Vast.ai refused list instances: ${text}`, kind: 'server' } },
      });
      assertInert(view.tooltip, text);
    });
  }

  it('keeps plain image names and SSH hosts readable as code', () => {
    assert.equal(codeSpan('pytorch/pytorch:latest'), '`pytorch/pytorch:latest`');
    assert.equal(codeSpan('a`b'), 'a\\`b');
    assert.equal(escapeMarkdown('line\nbreak'), 'line break');
    assert.match(presentInstance(fakeInstance(), NOW).tooltip, /\| SSH \| `root@[\d.]+:\d+` \(direct\) \|/);
  });

  it('shows an out-of-range start date as nothing rather than throwing', () => {
    assert.doesNotThrow(() => presentInstance(fakeInstance({ start_date: 1e300 }), NOW));
  });
});
