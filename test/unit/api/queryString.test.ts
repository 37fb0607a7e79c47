import assert from 'node:assert/strict';
import fc from 'fast-check';
import { queryString } from '../../../src/api/queryString';

describe('queryString', () => {
  it('is what URLSearchParams gives, for any names and values', () => {
    const text = fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9*._-]*$/), fc.constantFrom('me', '25', '{"id":{"in":[1,2]}}', 'a b', 'ü', '+', '&=', '%'));
    fc.assert(
      fc.property(fc.dictionary(text, text, { maxKeys: 5 }), (query) => {
        assert.equal(queryString(query), new URLSearchParams(query).toString());
      }),
      { numRuns: 1000 },
    );
  });

  it('joins plain pairs without escaping', () => {
    assert.equal(queryString({ owner: 'me' }), 'owner=me');
    assert.equal(queryString({ limit: '25', after_token: '"abc"' }), 'limit=25&after_token=%22abc%22');
    assert.equal(queryString({}), '');
  });
});
