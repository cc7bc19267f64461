// The foundation: the page starts a module worker, the worker loads the wasm and answers
// Ready; a panic inside Rust comes back as an Error event and the worker keeps answering.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openLab, waitReady } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

test('the page reaches ready with the crate version and no console errors', { timeout: 60000 }, async () => {
  const lab = await openLab(server.url);
  try {
    await waitReady(lab.page);
    const text = await lab.page.textContent('#engine-status');
    assert.match(text, /advlab \d+\.\d+\.\d+/);
    await lab.shot('foundation-ready');
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});

test('a wasm file is served as application/wasm', async () => {
  const res = await fetch(new URL('pkg/advlab_bg.wasm', server.url));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/wasm');
});

test('a panic and a malformed request come back as Error events and the worker survives', { timeout: 60000 }, async () => {
  const lab = await openLab(server.url);
  try {
    await waitReady(lab.page);
    const result = await lab.page.evaluate(async () => {
      const { engine } = window.advlab;
      const out = {};
      try { await engine.request({ type: 'DebugPanic' }); out.panic = 'no error'; }
      catch (e) { out.panic = e.message; }
      try { await engine.request({ type: 'NoSuchRequest' }); out.bad = 'no error'; }
      catch (e) { out.bad = e.message; }
      const again = await engine.request({ type: 'Hello' }, ['Ready']);
      out.version = again.version;
      return out;
    });
    assert.match(result.panic, /deliberate panic/);
    assert.match(result.bad, /NoSuchRequest|unknown variant/);
    assert.match(result.version, /^\d+\.\d+\.\d+$/);
    // The deliberate panic is logged to the console by the panic hook; nothing else may be.
    assert.deepEqual(lab.errors.filter((e) => !/deliberate panic/.test(e)), []);
  } finally { await lab.close(); }
});
