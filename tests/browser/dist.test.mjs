// What `make dist` hands out, opened as a user would: the single offline file from a file:// URL
// with every other request aborted (no network at all), and the dist/ site served with the
// page's Content-Security-Policy header, where not one policy violation may happen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, openLab, repo, waitReady } from './harness.mjs';
import { classroomFlow, text } from './flows.mjs';

const dist = join(repo, 'dist');

// Records securitypolicyviolation events on the page (the worker's are logged as console errors).
const watchViolations = () => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
};

test('dist/advlab.html works from file:// with no network and stays under 9 MB', { timeout: 300000 }, async () => {
  const file = join(dist, 'advlab.html');
  assert.ok(existsSync(file), 'run make dist first');
  assert.ok(statSync(file).size < 9_000_000, `${statSync(file).size} bytes`);
  const opened = Date.now();
  const lab = await openLab(pathToFileURL(file).href, { offline: true });
  try {
    await lab.page.addInitScript(watchViolations);
    await lab.page.reload();
    // The menu says what the file carries: part of MNIST, no Fashion-MNIST.
    await waitReady(lab.page);
    const options = await lab.page.$$eval('#train-form select[name=dataset] option', (os) => os.map((o) => ({ v: o.value, t: o.textContent, d: o.disabled })));
    assert.match(options.find((o) => o.v === 'mnist').t, /20000 of 60000 training/);
    assert.ok(options.find((o) => o.v === 'fashion-mnist').d, 'Fashion-MNIST is on the website only');
    const seconds = await classroomFlow(lab.page, { mnistTrain: 20000, opened, shot: (n) => lab.shot(`dist-file-${n}`) });
    console.log(`# dist/advlab.html: ${statSync(file).size} bytes; ${seconds.toFixed(1)} s from opening it to a trained IRIS model (browser launch included)`);
    assert.deepEqual(await lab.page.evaluate(() => window.__violations), []);
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});

test('the dist/ site works under its Content-Security-Policy header without one violation', { timeout: 300000 }, async () => {
  const server = await startServer({ root: dist });
  try {
    const res = await fetch(server.url);
    const policy = res.headers.get('content-security-policy');
    assert.match(policy, /default-src 'self'/);
    assert.doesNotMatch(policy, /'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
    const lab = await openLab(server.url);
    try {
      await lab.page.addInitScript(watchViolations);
      await lab.page.reload();
      await classroomFlow(lab.page, { mnistTrain: 60000, shot: (n) => lab.shot(`dist-site-${n}`) });
      assert.match(await text(lab.page, '#dataset-status'), /60000 training and 10000 test/);
      assert.deepEqual(await lab.page.evaluate(() => window.__violations), []);
      assert.deepEqual(lab.errors, []);
    } finally { await lab.close(); }
  } finally { server.stop(); }
});

// The report's Table 1 from the single file and Table 3 from the site: both open on the shipped
// models their packaging carries and draw the three curves beside the report's.
for (const [where, id] of [['file', 'table1'], ['site', 'table3']]) {
  test(`?scenario=${id} opens on the shipped models in the ${where === 'file' ? 'single file' : 'dist/ site'}`, { timeout: 120000 }, async () => {
    const server = where === 'site' ? await startServer({ root: dist }) : null;
    const url = where === 'file' ? pathToFileURL(join(dist, 'advlab.html')).href : server.url;
    const lab = await openLab(`${url}?scenario=${id}`, { offline: where === 'file' });
    try {
      await lab.page.waitForFunction(() => {
        const spec = document.querySelector('#curve-chart').chartSpec;
        return spec && spec.series.some((x) => x.style === 'dashed');
      }, null, { timeout: 60000 });
      const { series, shipped } = await lab.page.evaluate(() => ({
        series: document.querySelector('#curve-chart').chartSpec.series,
        shipped: ['undefended', 'defended'].map((s) => window.advlab.lab.models[s].shipped),
      }));
      assert.ok(shipped.every(Boolean), `${shipped}`);
      const transfer = series.find((x) => /transfer/.test(x.name));
      if (id === 'table1') assert.ok(transfer.points.find(([x]) => x === 0.2)[1] >= 0.9, JSON.stringify(transfer.points));
      assert.equal(series.filter((x) => x.style === 'solid').length, 3);
      await lab.shot(`dist-${where}-scenario-${id}`);
      assert.deepEqual(lab.errors, []);
    } finally { await lab.close(); if (server) server.stop(); }
  });
}
