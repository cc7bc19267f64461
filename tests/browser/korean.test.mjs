// The page in Korean, walked as a class would: training, an attack, the decision map, a curve, a
// field with a bad value, a link with bad settings, then MNIST with a drawn digit. At every step no
// visible text, and no aria-label or title, may be English prose (english.mjs: ART's parameter
// names, attack and dataset names, numbers and units are allowed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openLab, waitReady } from './harness.mjs';
import { train, attack } from './flows.mjs';
import { englishOn } from './english.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

const loaded = (page, n) => page.waitForFunction((k) => document.querySelector('#dataset-status').textContent.includes(`${k}`), n, { timeout: 90000 });

async function noEnglish(page, step) {
  const found = await englishOn(page);
  assert.deepEqual(found.map((f) => `${f.where}: ${f.text} [${f.words.join(' ')}]`), [], `English on the Korean page ${step}`);
}

test('a Korean page has no English prose through training, attack, map, curve, errors and a drawing', { timeout: 300000 }, async () => {
  const lab = await openLab(`${server.url}?lang=ko#t.epochs=60`);
  const page = lab.page;
  try {
    await waitReady(page);
    await loaded(page, 105);
    assert.equal(await page.getAttribute('html', 'lang'), 'ko');
    await noEnglish(page, 'at first load');
    await train(page);
    await noEnglish(page, 'after training');
    await page.selectOption('#attack-form select[name=attack]', 'fgsm');
    await attack(page);
    await noEnglish(page, 'after an attack');
    await page.click('#map-btn');
    await page.waitForFunction(() => (document.querySelector('#map-undefended').getAttribute('aria-label') || '').length > 10, null, { timeout: 30000 });
    await page.fill('#curve-form input[name=values]', '0, 0.1');
    await page.click('#curve-btn');
    await page.waitForFunction(() => document.querySelectorAll('#curve-table tr').length === 3, null, { timeout: 60000 });
    await noEnglish(page, 'after the map and a curve');
    // A value the worker refuses: its message, beside the field and under the form, in Korean.
    await page.fill('#attack-form input[name=eps]', '-1');
    await page.click('#attack-btn');
    await page.waitForFunction(() => document.querySelector('[data-error-for=attack]').textContent.includes('eps'));
    assert.match(await page.textContent('[data-error-for=attack]'), /[가-힣]/);
    await noEnglish(page, 'after a refused value');
    await lab.shot('korean-iris');
  } finally { await lab.close(); }

  // A link with bad settings: the notice names each in Korean, the worker's reasons included.
  const linked = await openLab(`${server.url}?lang=ko&workers=99&embed=2#t.epochs=-5&a.eps=abc&t.target=0&x.y=1`);
  try {
    await waitReady(linked.page);
    await linked.page.waitForFunction(() => document.querySelectorAll('#notice li').length >= 6, null, { timeout: 30000 });
    await noEnglish(linked.page, 'in the notice of a bad link');
  } finally { await linked.close(); }

  // MNIST: a small model, a drawn digit and an attack on it.
  const digits = await openLab(`${server.url}?lang=ko#t.dataset=mnist&t.arch=mnist-small&t.train_limit=1000&t.epochs=1`);
  try {
    const p = digits.page;
    await waitReady(p);
    await loaded(p, 60000);
    await train(p);
    await p.evaluate(() => document.querySelector('#draw').scrollIntoView({ block: 'center' }));
    const box = await p.locator('#draw').boundingBox();
    await p.mouse.move(box.x + box.width / 2, box.y + 30);
    await p.mouse.down();
    for (let y = 30; y < box.height - 30; y += 10) await p.mouse.move(box.x + box.width / 2, box.y + y);
    await p.mouse.up();
    await p.waitForFunction(() => document.querySelector('#input-label').textContent.length > 0);
    await attack(p);
    await noEnglish(p, 'on MNIST after attacking a drawing');
    await digits.shot('korean-mnist');
    assert.deepEqual(digits.errors, []);
  } finally { await digits.close(); }
});
