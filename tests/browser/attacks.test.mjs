// The stronger attacks in the page: the menu offers every attack of the catalog with its help in
// both languages; a black-box attack shows its query counter while it runs and its queries after;
// AutoAttack says which of its attacks fooled the input; a robustness curve runs a black-box
// attack beside a white-box one (the masking check).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openLab, waitReady } from './harness.mjs';
import { datasetLoaded, train, attack } from './flows.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

test('every catalog attack is offered, with help in English and Korean', { timeout: 60000 }, async () => {
  const lab = await openLab(server.url);
  const page = lab.page;
  try {
    await waitReady(page);
    await datasetLoaded(page, 105);
    const offered = await page.$$eval('#attack-form select[name=attack] option', (o) => o.map((x) => x.value));
    const listed = await page.evaluate(() => window.advlab.lab.dataset.catalog.attacks.map((a) => a.name));
    assert.deepEqual(offered, listed);
    for (const name of ['cw-l2', 'apgd', 'autoattack', 'square', 'hopskipjump']) assert.ok(offered.includes(name), name);
    await page.selectOption('#attack-form select[name=attack]', 'square');
    assert.match(await page.textContent('#attack-desc'), /scores/);
    assert.ok(await page.isVisible('#attack-form input[name=p_init]'));
    await page.selectOption('#lang', 'ko');
    assert.match(await page.textContent('#attack-desc'), /블랙박스/);
    await page.selectOption('#lang', 'en');
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});

test('HopSkipJump counts its queries while it runs; AutoAttack names its first success', { timeout: 120000 }, async () => {
  const lab = await openLab(`${server.url}#t.dataset=mnist&t.train_limit=2000&t.epochs=1`);
  const page = lab.page;
  try {
    await waitReady(page);
    await datasetLoaded(page, 60000);
    await train(page);
    await page.evaluate(() => {
      window.__queries = [];
      window.advlab.engine.on('Progress', (ev) => { if (ev.queries) window.__queries.push(ev.queries.total); });
    });
    await page.selectOption('#attack-form select[name=attack]', 'hopskipjump');
    await attack(page);
    const seen = await page.evaluate(() => window.__queries);
    assert.ok(seen.length >= 1 && seen.every((q, i) => i === 0 || q >= seen[i - 1]), `counter ${seen}`);
    assert.match(await page.textContent('#attack-norms'), /[\d,]+ model queries/);
    assert.ok(Number(await page.getAttribute('#trace-slider', 'max')) >= 1, 'its iterations can be stepped through');
    await lab.shot('attacks-hopskipjump');
    await page.selectOption('#attack-form select[name=attack]', 'autoattack');
    await attack(page);
    assert.match(await page.textContent('#attack-norms'), /fooled first by (apgd-ce|apgd-dlr|deepfool|square)|robust: no attack|already misclassified/);
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});

test('a robustness curve of a white-box attack also runs Square, the check for masked gradients', { timeout: 120000 }, async () => {
  const lab = await openLab(server.url);
  const page = lab.page;
  try {
    await waitReady(page);
    await datasetLoaded(page, 105);
    await train(page);
    await page.selectOption('#attack-form select[name=attack]', 'pgd');
    await page.fill('#curve-form input[name=values]', '0, 0.1');
    await page.fill('#curve-form input[name=n]', '20');
    await page.click('#curve-btn');
    await page.waitForFunction(() => document.querySelectorAll('#curve-table tr').length === 3, null, { timeout: 90000 });
    const header = await page.textContent('#curve-table tr');
    assert.match(header, /undefended · PGD/);
    assert.match(header, /undefended · SQUARE/);
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});
