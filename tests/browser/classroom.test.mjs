// What a class meets first: a link with broken settings (each one named in a notice, the controls
// keeping valid values), a Train click while MNIST still loads (queued, not lost), and the export
// buttons (PNG and CSV files that parse).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, openLab, waitReady } from './harness.mjs';
import { datasetLoaded, train, attack } from './flows.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

test('malformed link values are named in a dismissible notice and the controls keep valid values', { timeout: 60000 }, async () => {
  const lab = await openLab(`${server.url}?panels=input,bogus&embed=2&colour=red#t.epochs=-5&t.learning_rate=abc&t.seed=0.5&a.eps=-1&a.attack=cw&x.y=1&t.batch_size=16&t.target=0`);
  const page = lab.page;
  try {
    await waitReady(page);
    await datasetLoaded(page, 105);
    await page.waitForSelector('#notice li');
    await page.waitForFunction(() => document.querySelectorAll('#notice li').length >= 10);
    const items = await page.$$eval('#notice li', (l) => l.map((x) => x.textContent));
    const has = (re) => assert.ok(items.some((i) => re.test(i)), `${re} in ${JSON.stringify(items)}`);
    has(/^t\.epochs = -5: invalid parameter epochs = -5: must be a whole number from 1 to 1000/);
    has(/^t\.learning_rate = abc: not a number/);
    has(/^a\.eps = -1: /);
    // Rules only the worker's decoder knows (an exclusive bound, a whole number) are applied too.
    has(/^t\.target = 0: invalid parameter target_accuracy = 0: must be a number greater than 0/);
    has(/^t\.seed = 0\.5: /);
    has(/^a\.attack = cw: not one of fgsm, pgd/);
    has(/^x\.y: no such setting/);
    has(/^colour: no such setting/);
    has(/^embed=2: must be 1 or 0/);
    has(/^panels: bogus is not a panel/);
    await lab.shot('notice');
    // Valid defaults stay; the valid value of the same link is applied.
    assert.equal(await page.inputValue('#train-form input[name=epochs]'), '700');
    assert.equal(await page.inputValue('#train-form input[name=learning_rate]'), '0.001');
    assert.equal(await page.inputValue('#train-form input[name=batch_size]'), '16');
    assert.equal(await page.inputValue('#attack-form input[name=eps]'), '0.1');
    assert.equal(await page.inputValue('#attack-form select[name=attack]'), 'fgsm');
    // The known panel of the list is shown; the notice goes away when dismissed.
    assert.ok(await page.isVisible('#input-panel') && !(await page.isVisible('#data-panel')));
    // The notice sits at the top, clear of the model cards and the Train button.
    const notice = await page.locator('#notice').boundingBox();
    assert.ok(notice.y < 40, `notice at ${notice.y}`);
    // The address no longer carries what was refused, so a reload or a copied link is clean;
    // the valid panel of the list stays.
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('panels'), 'input');
    for (const k of ['embed', 'colour']) assert.equal(url.searchParams.get(k), null, k);
    const hash = new URLSearchParams(url.hash.slice(1));
    for (const k of ['t.epochs', 't.learning_rate', 't.seed', 'a.eps', 'a.attack', 'x.y', 't.target']) assert.equal(hash.get(k), null, k);
    await page.click('#notice .notice-close');
    assert.equal(await page.locator('#notice').count(), 0);
    await page.reload();
    await waitReady(page);
    await datasetLoaded(page, 105);
    await page.waitForTimeout(300);
    assert.equal(await page.locator('#notice').count(), 0, 'the reload shows no notice');
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});

test('a bad worker count reads as a range', { timeout: 60000 }, async () => {
  const lab = await openLab(`${server.url}?workers=99`);
  try {
    await lab.page.waitForSelector('#notice li');
    assert.equal(await lab.page.textContent('#notice li'), 'workers=99: must be a whole number from 1 to 16');
    assert.equal(new URL(lab.page.url()).searchParams.get('workers'), null);
  } finally { await lab.close(); }
});

test('a Train click while MNIST loads is queued and trains once the data is there', { timeout: 120000 }, async () => {
  const lab = await openLab(`${server.url}#t.dataset=mnist&t.train_limit=1000&t.epochs=1`);
  const page = lab.page;
  try {
    await waitReady(page);
    // Click as soon as the button can be clicked: MNIST is still being fetched and decoded.
    await page.click('#train-btn');
    const loading = await page.evaluate(() => document.querySelector('#dataset-status').textContent);
    assert.match(loading, /Training starts as soon as mnist has loaded|Loading/);
    await datasetLoaded(page, 60000);
    await page.waitForFunction(() => /%/.test(document.querySelector('.model[data-slot=undefended] .acc').textContent), null, { timeout: 90000 });
    const model = await page.evaluate(() => window.advlab.lab.models.undefended);
    assert.equal(model.dataset, 'mnist');
    assert.equal(model.train_samples, 1000, 'the link\u2019s settings, applied after loading, were used');
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});

// PNG: the signature and the IHDR width and height.
function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'a PNG signature');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test('charts download as PNG and CSV, and the attack\u2019s images as enlarged PNGs', { timeout: 120000 }, async () => {
  const lab = await openLab(`${server.url}#t.dataset=mnist&t.train_limit=1000&t.epochs=1`);
  const page = lab.page;
  const save = async (selector) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
  };
  try {
    await waitReady(page);
    await datasetLoaded(page, 60000);
    await train(page);
    await attack(page);
    const png = await save('[data-export=attack-scores-png]');
    assert.match(png.name, /^advlab-mnist-attack-scores\.png$/);
    const [w, h] = pngSize(png.bytes);
    // Twice the chart's size on the page, for a projector.
    const shown = await page.evaluate(() => { const b = document.querySelector('#attack-scores').getBoundingClientRect(); return [b.width, b.height]; });
    assert.ok(Math.abs(w - 2 * shown[0]) <= 2 && Math.abs(h - 2 * shown[1]) <= 2, `${w}x${h} for ${shown}`);
    const csv = await save('[data-export=attack-scores-csv]');
    const lines = csv.bytes.toString('utf8').trim().split('\n').map((l) => l.split(','));
    assert.deepEqual(lines[0], ['label', 'Undefended model']);
    assert.equal(lines.length, 11, 'a row per class');
    assert.ok(lines.slice(1).every(([label, p]) => /^\d$/.test(label) && Number(p) >= 0 && Number(p) <= 1));
    // Rounded to 4 significant digits, as a table shows them.
    assert.ok(lines.slice(1).every(([, p]) => p.replace(/^0\.0*|e.*$|\./g, '').length <= 4), lines.map((l) => l[1]).join(' '));
    const sum = lines.slice(1).reduce((s, [, p]) => s + Number(p), 0);
    assert.ok(Math.abs(sum - 1) < 1e-3, `probabilities sum to ${sum}`);
    const training = await save('[data-export=train-chart-csv]');
    const rows = training.bytes.toString('utf8').trim().split('\n');
    assert.match(rows[0], /^series,Epochs,/);
    assert.ok(rows.length > 3);
    for (const id of ['orig-img', 'adv-img', 'delta-img']) {
      const img = await save(`[data-export=${id}-png]`);
      assert.deepEqual(pngSize(img.bytes), [280, 280], id);
    }
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});

test('an attack that changes neither answer says so and what to try', { timeout: 120000 }, async () => {
  const lab = await openLab(`${server.url}?autorun=1#a.eps=0.001`);
  const page = lab.page;
  try {
    await page.waitForFunction(() => /L0/.test(document.querySelector('#attack-norms').textContent), null, { timeout: 60000 });
    await page.waitForSelector('#attack-hint:not([hidden])');
    assert.match(await page.textContent('#attack-hint'), /FGSM changed neither model\u2019s answer\. Try a larger eps/);
    await page.fill('#attack-form input[name=eps]', '0.9');
    await page.click('#attack-btn');
    await page.waitForFunction(() => document.querySelector('#attack-norms').dataset.linf > 0.5, null, { timeout: 30000 });
    assert.ok(await page.locator('#attack-hint').isHidden(), 'eps 0.9 moves the undefended model\u2019s answer');
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});

// The first demo: the default attack (FGSM, eps 0.3, crafted on the undefended model) on a drawn 7
// with the shipped MNIST models fools the undefended model and not the defended one.
test('the default attack on a drawn 7 fools the undefended model only', { timeout: 120000 }, async () => {
  const lab = await openLab(`${server.url}?autorun=1#t.dataset=mnist`);
  const page = lab.page;
  const predictions = (sel) => page.evaluate((s) => [...(document.querySelector(s).getAttribute('aria-label') || '').matchAll(/predicts (\S+) \(/g)].map((m) => m[1]), sel);
  try {
    await page.waitForFunction(() => /L0/.test(document.querySelector('#attack-norms').textContent), null, { timeout: 90000 });
    assert.equal(await page.inputValue('#attack-form select[name=attack]'), 'fgsm');
    assert.equal(await page.inputValue('#attack-form input[name=eps]'), '0.3');
    await page.evaluate(() => document.querySelector('#draw').scrollIntoView({ block: 'center' }));
    const box = await page.locator('#draw').boundingBox();
    const at = (x, y) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280];
    await page.mouse.move(...at(92, 65));
    await page.mouse.down();
    for (const [x, y] of [[190, 65], [132, 222]]) await page.mouse.move(...at(x, y), { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(() => /drawing/.test(document.querySelector('#input-label').textContent));
    await page.waitForTimeout(300);
    assert.deepEqual(await predictions('#input-scores'), ['7', '7'], 'both models read the drawing as a 7');
    await attack(page);
    const after = await predictions('#attack-scores');
    assert.notEqual(after[0], '7', 'the undefended model is fooled');
    assert.equal(after[1], '7', 'the defended model is not');
    assert.ok(await page.locator('#attack-hint').isHidden());
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});
