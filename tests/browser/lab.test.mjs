// The lab's flows in a real browser, in the order a class uses them: train IRIS (undefended and
// defended), draw the decision regions, attack; then MNIST on a subset: draw a digit, FGSM
// (the page's L-inf must equal eps), JSMA with its iteration slider, a robustness curve, Cancel,
// and an out-of-range parameter. One page is shared so the steps build on each other; every
// step saves a screenshot under tests/browser/artifacts/ and the page must log no errors.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openLab, waitReady } from './harness.mjs';

let server;
let lab;
let page;

const text = (sel) => page.textContent(sel);
const accOf = async (slot) => parseFloat(await text(`.model[data-slot=${slot}] .acc`));

async function loadDataset(name, trainCount) {
  await page.selectOption('#train-form select[name=dataset]', name);
  await page.waitForFunction((n) => document.querySelector('#dataset-status').textContent.includes(`${n} training`), trainCount, { timeout: 60000 });
}

async function train(slot) {
  const card = `.model[data-slot=${slot}] .acc`;
  await page.click(slot === 'defended' ? '#train-def-btn' : '#train-btn');
  await page.waitForFunction((sel) => document.querySelector(sel).textContent.includes('%'), card, { timeout: 120000 });
  await page.waitForFunction(() => !document.body.dataset.busy);
  return accOf(slot);
}

async function attack() {
  await page.evaluate(() => { document.querySelector('#attack-norms').textContent = ''; });
  await page.click('#attack-btn');
  await page.waitForFunction(() => document.querySelector('#attack-norms').textContent.includes('L0'), null, { timeout: 60000 });
  return page.evaluate(() => Number(document.querySelector('#attack-norms').dataset.linf));
}

// Counts pixels of a canvas that differ from its top-left pixel.
function inkedPixels(sel) {
  return page.evaluate((s) => {
    const c = document.querySelector(s);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) n++;
    return n;
  }, sel);
}

describe('the lab', { timeout: 600000 }, () => {
  before(async () => {
    server = await startServer();
    lab = await openLab(server.url);
    page = lab.page;
    await waitReady(page);
    await page.waitForFunction(() => document.querySelector('#dataset-status').textContent.includes('105 training'), null, { timeout: 30000 });
  });
  after(async () => {
    await lab.close();
    server.stop();
  });

  test('IRIS trains to at least 90% and the defended model trains beside it', async () => {
    assert.ok(await train('undefended') >= 90);
    await page.selectOption('select[name=defence]', 'fast-fgsm');
    assert.ok(await train('defended') >= 80);
    assert.ok(await inkedPixels('#train-chart') > 500, 'the training curves were drawn');
    assert.match(await text('.model[data-slot=defended] .model-info'), /AdversarialTrainerFBF \(eps 0\.05\)/);
    await lab.shot('01-iris-trained');
  });

  test('the IRIS decision regions are drawn for both models with attacked points', async () => {
    await page.click('#map-btn');
    await page.waitForFunction(() => /fooled/.test(document.querySelector('#map-defended').getAttribute('aria-label') || ''), null, { timeout: 30000 });
    assert.ok(await inkedPixels('#map-undefended') > 5000);
    assert.ok(await inkedPixels('#map-defended') > 5000);
    await lab.shot('02-iris-map');
  });

  test('an IRIS test flower can be attacked with JSMA', async () => {
    await page.selectOption('select[name=attack]', 'jsma');
    await attack();
    assert.match(await text('#attack-norms'), /L0 [1-4] features/);
    assert.ok(await inkedPixels('#feature-chart') > 500);
    await lab.shot('03-iris-jsma');
  });

  test('MNIST trains on a subset and a drawn digit gets both models\u2019 predictions', async () => {
    await loadDataset('mnist', 60000);
    await page.fill('input[name=train_limit]', '3000');
    await page.fill('input[name=epochs]', '2');
    assert.ok(await train('undefended') > 70);
    await page.selectOption('select[name=defence]', 'adv-trainer');
    assert.ok(await train('defended') > 50);
    await page.locator('#draw').scrollIntoViewIfNeeded();
    const box = await page.locator('#draw').boundingBox();
    await page.mouse.move(box.x + 140, box.y + 50);
    await page.mouse.down();
    for (let y = 50; y <= 230; y += 10) await page.mouse.move(box.x + 140 + (y - 50) / 20, box.y + y);
    await page.mouse.up();
    await page.waitForFunction(() => {
      const l = document.querySelector('#input-scores').getAttribute('aria-label') || '';
      return /Undefended model predicts/.test(l) && /Defended model predicts/.test(l) && /drawing/.test(document.querySelector('#input-label').textContent);
    }, null, { timeout: 20000 });
    assert.ok(await inkedPixels('#seen') > 30, 'the 28x28 digitised drawing is shown');
    await lab.shot('04-mnist-drawn');
    // A finger and a pen draw too (pointer events of those types, as a phone or tablet sends).
    const before = await inkedPixels('#seen');
    await page.evaluate(() => {
      const c = document.querySelector('#draw');
      const r = c.getBoundingClientRect();
      const fire = (type, x, y, pointerType, pressure) => c.dispatchEvent(new PointerEvent(type, {
        bubbles: true, cancelable: true, pointerId: pointerType === 'touch' ? 7 : 8, pointerType, pressure,
        clientX: r.left + x, clientY: r.top + y, isPrimary: true,
      }));
      for (const [kind, y0] of [['touch', 60], ['pen', 120]]) {
        fire('pointerdown', 60, y0, kind, 0.5);
        for (let x = 60; x <= 220; x += 20) fire('pointermove', x, y0, kind, 0.5);
        fire('pointerup', 220, y0, kind, 0);
      }
    });
    await page.waitForFunction((n) => {
      const c = document.querySelector('#seen');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let k = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 0) k++;
      return k > n;
    }, before, { timeout: 10000 });
  });

  test('FGSM on a test image reports an L-inf equal to eps', async () => {
    await page.fill('#pick-form input[name=index]', '3');
    await page.click('#pick-btn');
    await page.waitForFunction(() => document.querySelector('#input-label').textContent.startsWith('#3'));
    await page.selectOption('select[name=attack]', 'fgsm');
    await page.fill('#attack-form input[name=eps]', '0.15');
    const linf = await attack();
    assert.ok(Math.abs(linf - 0.15) < 1e-4, `L-inf ${linf}`);
    assert.ok(await inkedPixels('#delta-img') > 100, 'the perturbation is drawn');
    await lab.shot('05-mnist-fgsm');
  });

  test('JSMA runs with an iteration slider over its steps', async () => {
    await page.selectOption('select[name=attack]', 'jsma');
    await page.selectOption('select[name=target]', '3');
    await attack();
    const max = Number(await page.getAttribute('#trace-slider', 'max'));
    assert.ok(max >= 1, `${max} iterations`);
    await page.fill('#trace-slider', '1');
    assert.equal(await text('#trace-out'), `1 / ${max}`);
    assert.match(await text('#attack-norms'), /L0 [12] features/);
    await lab.shot('06-mnist-jsma-step1');
  });

  test('a robustness curve is drawn with a table for both models', async () => {
    await page.selectOption('select[name=attack]', 'fgsm');
    await page.fill('#curve-form input[name=values]', '0, 0.1, 0.3');
    await page.fill('#curve-form input[name=n]', '100');
    await page.click('#curve-btn');
    await page.waitForFunction(() => document.querySelectorAll('#curve-table tr').length === 4, null, { timeout: 120000 });
    const header = await text('#curve-table tr');
    for (const name of ['undefended · FGSM', 'defended · FGSM', 'undefended · PGD', 'defended · PGD']) assert.ok(header.includes(name), header);
    assert.ok(await inkedPixels('#curve-chart') > 2000);
    assert.equal(await page.isDisabled('#csv-btn'), false);
    await lab.shot('07-mnist-curve');
  });

  test('Cancel stops a training job and keeps the old model', async () => {
    const before = await text('.model[data-slot=undefended] .acc');
    await page.fill('input[name=train_limit]', '60000');
    await page.fill('input[name=epochs]', '5');
    await page.click('#train-btn');
    await page.waitForFunction(() => document.querySelector('#job-progress').value > 0.01, null, { timeout: 30000 });
    await page.click('#cancel-btn');
    await page.waitForFunction(() => !document.body.dataset.busy, null, { timeout: 5000 });
    assert.match(await text('#job-text'), /Cancelled/);
    assert.equal(await text('.model[data-slot=undefended] .acc'), before);
    await lab.shot('08-cancelled');
  });

  test('an out-of-range parameter is explained next to its control and the page keeps working', async () => {
    await page.fill('#attack-form input[name=eps]', '-1');
    await page.click('#attack-btn');
    await page.waitForSelector('#attack-form input[name=eps][aria-invalid=true]');
    const note = await page.textContent('#attack-form .field-error');
    assert.match(note, /eps.*-1/);
    await lab.shot('09-bad-eps');
    await page.fill('#attack-form input[name=eps]', '0.1');
    const linf = await attack();
    assert.ok(Math.abs(linf - 0.1) < 1e-4);
    assert.equal(await page.locator('.field-error').count(), 0);
  });

  test('a model downloads as .safetensors and uploads into the other slot with the same accuracy', async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('.model[data-slot=undefended] [data-action=download]')]);
    assert.match(dl.suggestedFilename(), /^advlab-mnist-.*undefended\.safetensors$/);
    const path = await dl.path();
    const acc = await text('.model[data-slot=undefended] .acc');
    await page.setInputFiles('.model[data-slot=defended] input[type=file]', path);
    await page.waitForFunction(() => /uploaded/.test(document.querySelector('.model[data-slot=defended] .model-info').textContent));
    assert.equal(await text('.model[data-slot=defended] .acc'), acc);
    await page.setInputFiles('.model[data-slot=defended] input[type=file]', { name: 'junk.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('not a model') });
    await page.waitForFunction(() => /model file/.test(document.querySelector('[data-error-for=train]').textContent));
    assert.equal(await text('.model[data-slot=defended] .acc'), acc, 'a bad upload keeps the model');
    await lab.shot('10-uploaded');
  });

  test('the interface switches to Korean and back', async () => {
    await page.selectOption('#lang', 'ko');
    assert.equal(await text('#train-btn'), '학습');
    assert.equal(await page.getAttribute('html', 'lang'), 'ko');
    await lab.shot('11-korean');
    await page.selectOption('#lang', 'en');
    assert.equal(await text('#train-btn'), 'Train');
  });

  test('the settings live in the URL, so a link reopens the same lab', async () => {
    await page.selectOption('select[name=attack]', 'pgd');
    await page.fill('#attack-form input[name=eps]', '0.25');
    await page.dispatchEvent('#attack-form input[name=eps]', 'change');
    const url = page.url();
    assert.match(url, /a\.attack=pgd/);
    assert.match(url, /a\.eps=0\.25/);
    const second = await openLab(url, { viewport: { width: 390, height: 844 } });
    try {
      await waitReady(second.page);
      await second.page.waitForFunction(() => document.querySelector('#dataset-status').textContent.includes('60000 training'), null, { timeout: 60000 });
      assert.equal(await second.page.inputValue('#train-form select[name=dataset]'), 'mnist');
      assert.equal(await second.page.inputValue('#attack-form select[name=attack]'), 'pgd');
      assert.equal(await second.page.inputValue('#attack-form input[name=eps]'), '0.25');
      await second.shot('12-phone-from-link');
      assert.deepEqual(second.errors, []);
    } finally { await second.close(); }
  });

  test('trained models survive a reload and a worker crash', async () => {
    const acc = { undefended: await accOf('undefended'), defended: await accOf('defended') };
    await page.reload();
    await waitReady(page);
    await page.waitForFunction(() => /%/.test(document.querySelector('.model[data-slot=defended] .acc').textContent), null, { timeout: 60000 });
    assert.equal(await accOf('undefended'), acc.undefended);
    assert.equal(await accOf('defended'), acc.defended);
    // A Rust panic restarts the worker, which loses its memory; the page restores the models.
    await page.evaluate(() => window.advlab.engine.request({ type: 'DebugPanic' }).catch(() => null));
    await page.waitForFunction(() => window.advlab.lab.models.undefended === null, null, { timeout: 10000 }).catch(() => null);
    await page.waitForFunction(() => /%/.test(document.querySelector('.model[data-slot=undefended] .acc').textContent) && window.advlab.lab.models.undefended, null, { timeout: 60000 });
    assert.equal(await accOf('undefended'), acc.undefended);
    const linf = await attack();
    assert.ok(linf > 0, 'the restored model can be attacked');
    await lab.shot('13-restored');
  });

  test('no console errors', () => {
    // The deliberate panic above is logged by the panic hook; nothing else may be.
    assert.deepEqual(lab.errors.filter((e) => !/deliberate panic/.test(e)), []);
  });
});
