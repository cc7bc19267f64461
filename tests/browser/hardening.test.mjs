// Bad input in the page, as a careless or hostile user gives it: values typed into fields are
// refused next to the field with the worker's own words before any job starts; a corrupt or
// hostile upload is explained on its card while the worker and the trained models survive; and
// Cancel stops a Madry PGD-40 training job (40 attack iterations per batch) within 200 ms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openLab, waitReady } from './harness.mjs';
import { datasetLoaded, train, attack } from './flows.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

const fieldNote = (page, form, name) => page.evaluate(([f, n]) => {
  const el = document.querySelector(`#${f} [name="${n}"]`);
  const note = el.closest('label').querySelector('.field-error');
  return { invalid: el.getAttribute('aria-invalid'), note: note ? note.textContent : null };
}, [form, name]);

test('typed values the worker would refuse are named next to their field and no job starts', { timeout: 60000 }, async () => {
  const lab = await openLab(server.url);
  const page = lab.page;
  try {
    await waitReady(page);
    await datasetLoaded(page, 105);
    // An exclusive bound only the catalog knows (learning_rate > 0), shown while typing.
    await page.fill('#train-form input[name=learning_rate]', '0');
    let f = await fieldNote(page, 'train-form', 'learning_rate');
    assert.equal(f.invalid, 'true');
    assert.match(f.note, /^invalid parameter learning_rate = 0: must be a number greater than 0/);
    await page.click('#train-btn');
    assert.equal(await page.evaluate(() => document.body.dataset.busy), undefined, 'no job was started');
    assert.match(await page.textContent('[data-error-for=train]'), /learning_rate/);
    await page.fill('#train-form input[name=learning_rate]', '0.001');
    f = await fieldNote(page, 'train-form', 'learning_rate');
    assert.equal(f.note, null, 'a valid value clears the note');
    // Whole numbers, and a defence parameter (prefixed def_ in the form).
    await page.fill('#train-form input[name=epochs]', '2.5');
    assert.match((await fieldNote(page, 'train-form', 'epochs')).note, /must be a whole number/);
    await page.fill('#train-form input[name=epochs]', '50');
    await page.selectOption('#train-form select[name=defence]', 'madry-pgd');
    await page.fill('#train-form input[name=def_max_iter]', '5000');
    assert.match((await fieldNote(page, 'train-form', 'def_max_iter')).note, /max_iter = 5000: must be a whole number from 1 to 1000/);
    await page.click('#train-def-btn');
    assert.equal(await page.evaluate(() => document.body.dataset.busy), undefined);
    await page.fill('#train-form input[name=def_max_iter]', '3');
    assert.ok(await train(page) >= 80);
    assert.ok(await train(page, 'defended') > 30);
    // An attack parameter: JSMA's theta may not be 0.
    await page.selectOption('#attack-form select[name=attack]', 'jsma');
    await page.fill('#attack-form input[name=theta]', '0');
    assert.match((await fieldNote(page, 'attack-form', 'theta')).note, /theta = 0: must be a non-zero number/);
    await page.click('#attack-btn');
    assert.equal(await page.textContent('#attack-norms'), '');
    await page.fill('#attack-form input[name=theta]', '0.1');
    await attack(page);
    await lab.shot('hardening-fields');
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});

test('a corrupt upload is explained on its card; the worker and the trained models survive', { timeout: 60000 }, async () => {
  const lab = await openLab(server.url);
  const page = lab.page;
  try {
    await waitReady(page);
    await datasetLoaded(page, 105);
    const acc = await train(page);
    // A file that claims to be a safetensors model: a header length far beyond the file.
    const header = Buffer.alloc(8);
    header.writeBigUInt64LE(1n << 40n);
    for (const [name, buffer] of [['junk.safetensors', Buffer.from('not a model at all')], ['huge-header.safetensors', Buffer.concat([header, Buffer.from('{}')])]]) {
      await page.setInputFiles('.model[data-slot=undefended] input[type=file]', { name, mimeType: 'application/octet-stream', buffer });
      await page.waitForFunction((n) => document.querySelector('.model[data-slot=undefended] [data-upload-error]').textContent.startsWith(n), name);
    }
    assert.match(await page.textContent('.model[data-slot=undefended] [data-upload-error]'), /huge-header\.safetensors: .*model file/);
    assert.equal(parseFloat(await page.textContent('.model[data-slot=undefended] .acc')), acc, 'the trained model stays');
    // The worker still answers: the model attacks and predicts.
    await attack(page);
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});

test('Cancel stops a Madry PGD-40 training job within 200 ms', { timeout: 120000 }, async () => {
  const lab = await openLab(`${server.url}#t.dataset=mnist&t.train_limit=20000&t.epochs=1`);
  const page = lab.page;
  try {
    await waitReady(page);
    await datasetLoaded(page, 60000);
    await page.selectOption('#train-form select[name=arch]', 'mnist-seed');
    await page.fill('#train-form input[name=epochs]', '1');
    await page.selectOption('#train-form select[name=defence]', 'madry-pgd');
    await page.fill('#train-form input[name=def_eps]', '0.3');
    await page.fill('#train-form input[name=def_eps_step]', '0.01');
    await page.fill('#train-form input[name=def_max_iter]', '40');
    await page.click('#train-def-btn');
    await page.waitForFunction(() => document.querySelector('#job-progress').value > 0.002, null, { timeout: 60000 });
    const latency = await page.evaluate(async () => {
      const t0 = performance.now();
      await window.advlab.engine.cancel();
      return performance.now() - t0;
    });
    console.log(`# Cancel of Madry PGD-40 training answered in ${latency.toFixed(0)} ms`);
    assert.ok(latency < 200, `${latency} ms`);
    await page.waitForFunction(() => /Cancelled/.test(document.querySelector('#job-text').textContent));
    assert.equal(await page.evaluate(() => window.advlab.lab.models.defended), null, 'nothing half-trained was kept');
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});
