import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { BodyTooLargeError, readBoundedText } from '../../../src/api/boundedBody';

describe('readBoundedText', () => {
  it('joins chunks, a character split across two of them included', async () => {
    const body = new PassThrough();
    const reading = readBoundedText(body, 1024);
    const euro = Buffer.from('€'); // three bytes
    body.write(Buffer.concat([Buffer.from('{"a":"'), euro.subarray(0, 1)]));
    body.write(euro.subarray(1));
    body.end('"}');
    assert.equal(await reading, '{"a":"€"}');
  });

  it('reads an empty body as the empty string', async () => {
    const body = new PassThrough();
    const reading = readBoundedText(body, 1024);
    body.end();
    assert.equal(await reading, '');
    assert.equal(await readBoundedText(null, 1024), '');
  });

  it('stops reading and destroys the stream once it grows past the cap', async () => {
    const body = new PassThrough();
    const reading = readBoundedText(body, 10);
    body.write('12345678');
    body.write('90abc');
    await assert.rejects(reading, BodyTooLargeError);
    assert.equal(body.destroyed, true);
  });

  it('refuses a declared Content-Length past the cap without reading', async () => {
    const body = new PassThrough();
    await assert.rejects(readBoundedText(body, 10, '11'), BodyTooLargeError);
    assert.equal(body.destroyed, true);
  });

  it('rejects with the stream error (a reset or an abort mid-body)', async () => {
    const body = new PassThrough();
    const reading = readBoundedText(body, 1024);
    body.write('{"partial":');
    body.destroy(new Error('socket hang up'));
    await assert.rejects(reading, /socket hang up/);
  });

  it('rejects when the stream closes without an end, or was torn down before reading', async () => {
    const body = new PassThrough();
    const reading = readBoundedText(body, 1024);
    body.write('{');
    body.destroy();
    await assert.rejects(reading, /Premature close/);
    const failing = new PassThrough();
    failing.destroy(new Error('aborted')); // its error event is still to come
    await assert.rejects(readBoundedText(failing, 1024), /aborted/);
    const gone = new PassThrough();
    gone.on('error', () => undefined).destroy(new Error('reset'));
    await new Promise((resolve) => gone.on('close', resolve));
    await assert.rejects(readBoundedText(gone, 1024), /reset/);
  });

  it('leaves no listener behind', async () => {
    const body = new PassThrough();
    const reading = readBoundedText(body, 1024);
    body.end('{}');
    await reading;
    for (const event of ['data', 'end', 'error', 'close']) assert.equal(body.listenerCount(event), 0, event);
  });
});
