// Attacks, curves and training split across workers (docs/workers.md): the page's engine hands
// parts of an attack on many test samples, the points of a robustness curve, and the rows of every
// training batch to helper workers, each with its own wasm instance, dataset and copies of the
// models. The split result equals the unsplit one for a deterministic attack, repeats itself for
// a random attack with the same seed and worker count, stops on Cancel in every worker, and works
// from the single offline file too. `?workers=N` sets the count; a bad value is named in the
// notice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, openLab, repo, waitReady } from './harness.mjs';
import { datasetLoaded } from './flows.mjs';

// Loads MNIST and trains a small seed CNN through the page's controls.
async function trainSmall(page, trainCount) {
  await waitReady(page);
  await page.selectOption('#train-form select[name=dataset]', 'mnist');
  await datasetLoaded(page, trainCount);
  await page.selectOption('#train-form select[name=arch]', 'mnist-seed');
  await page.fill('input[name=train_limit]', '2000');
  await page.fill('input[name=epochs]', '1');
  await page.click('#train-btn');
  await page.waitForFunction(() => document.querySelector('.model[data-slot=undefended] .acc').textContent.includes('%'), null, { timeout: 120000 });
}

// Runs an attack split (engine.job) or on the main worker alone; resolves with its result.
function attack(page, attackSettings, { count = 300, split = true, seed = 0 } = {}) {
  return page.evaluate(async ({ a, count, split, seed }) => {
    const { engine } = window.advlab;
    const body = { type: 'Attack', settings: { dataset: 'mnist', model: 'undefended', samples: { kind: 'test', start: 0, count }, attack: a, seed } };
    const job = split ? engine.job(body) : engine.send(body, { until: null, onProgress: () => {} });
    const ev = await job.done;
    return ev.result;
  }, { a: attackSettings, count, split, seed });
}

const FGSM = { attack: 'fgsm', eps: 0.1 };
const PGD = { attack: 'pgd', eps: 0.2, eps_step: 0.05, max_iter: 5, num_random_init: 1 };


// Starts job `body`, cancels it after `ms`, and says whether it ended as cancelled and whether any
// helper job is still running 300 ms later.
function cancelAfter(page, ms, body) {
  return page.evaluate(async ({ ms, body }) => {
    const { engine } = window.advlab;
    const { done } = engine.job(body);
    await new Promise((r) => setTimeout(r, ms));
    await engine.cancel();
    const err = await done.then(() => null, (e) => e);
    await new Promise((r) => setTimeout(r, 300));
    return { cancelled: Boolean(err && err.cancelled), running: engine.running.size };
  }, { ms, body });
}

test('attacks and curves split across three workers equal the unsplit ones and repeat themselves', { timeout: 300000 }, async () => {
  const server = await startServer();
  const lab = await openLab(`${server.url}?workers=3`);
  try {
    const { page } = lab;
    await trainSmall(page, 60000);
    const whole = await attack(page, FGSM, { split: false });
    const split = await attack(page, FGSM);
    assert.equal(await page.evaluate(() => window.advlab.engine.helpers.length), 2, 'two helpers beside the main worker');
    assert.deepEqual(split, whole, 'FGSM has no randomness: the parts add up to the whole');
    assert.ok(whole.undefended.adversarial_accuracy < whole.undefended.clean_accuracy, JSON.stringify(whole.undefended));
    const first = await attack(page, PGD, { seed: 7 });
    assert.deepEqual(await attack(page, PGD, { seed: 7 }), first, 'one seed and worker count, one result');
    assert.equal(first.iterations.length, 300);

    // A robustness curve deals its points out to the workers; the curve is the unsplit one.
    const sweep = await page.evaluate(async () => {
      const { engine } = window.advlab;
      const body = { type: 'Sweep', settings: { dataset: 'mnist', attack: { attack: 'fgsm' }, param: 'eps', values: [0, 0.05, 0.1, 0.2], n: 100, pgd_check: true } };
      const split = (await engine.job(body).done).result;
      const whole = (await engine.send(body, { until: null, onProgress: () => {} }).done).result;
      return { split, whole };
    });
    assert.deepEqual(sweep.split, sweep.whole);
    assert.equal(sweep.whole.series.length, 2, 'FGSM and the PGD check on the one model');

    // A new model reaches the helpers before their next part.
    await page.fill('input[name=epochs]', '2');
    await page.click('#train-btn');
    await page.waitForFunction(() => document.querySelector('.model[data-slot=undefended] .acc').textContent.includes('%') && !document.body.dataset.busy, null, { timeout: 120000 });
    assert.deepEqual(await attack(page, FGSM), await attack(page, FGSM, { split: false }), 'after retraining');

    // Cancel stops every worker; the next split attack runs normally.
    const pgd = { attack: 'pgd', eps: 0.3, eps_step: 0.01, max_iter: 100 };
    const cancelled = await cancelAfter(page, 1500, { type: 'Attack', settings: { dataset: 'mnist', model: 'undefended', samples: { kind: 'test', start: 0, count: 3000 }, attack: pgd } });
    assert.deepEqual(cancelled, { cancelled: true, running: 0 });
    assert.deepEqual(await attack(page, FGSM), await attack(page, FGSM, { split: false }), 'after a cancel');
    assert.deepEqual(lab.errors, []);
  } finally {
    await lab.close();
    server.stop();
  }
});

test('the offline file splits attacks too, and ?workers=0 is named in the notice', { timeout: 300000 }, async () => {
  const file = pathToFileURL(join(repo, 'dist', 'advlab.html')).href;
  const lab = await openLab(`${file}?workers=2`, { offline: true });
  try {
    const { page } = lab;
    await trainSmall(page, 20000);
    const whole = await attack(page, FGSM, { split: false, count: 200 });
    assert.deepEqual(await attack(page, FGSM, { count: 200 }), whole);
    assert.equal(await page.evaluate(() => window.advlab.engine.helpers.length), 1);
    await page.goto(`${file}?workers=0`);
    await page.waitForSelector('#notice li');
    const items = await page.$$eval('#notice li', (l) => l.map((x) => x.textContent));
    assert.ok(items.some((i) => i.includes('workers') && i.includes('0')), items.join(' | '));
    assert.deepEqual(lab.errors, []);
  } finally {
    await lab.close();
  }
});

test('training is data-parallel, adversarial training too: one model per seed and worker count, and Cancel stops every worker', { timeout: 300000 }, async () => {
  const server = await startServer();
  const lab = await openLab(`${server.url}?workers=3`);
  try {
    const { page } = lab;
    await waitReady(page);
    await page.selectOption('#train-form select[name=dataset]', 'mnist');
    await datasetLoaded(page, 60000);
    const train = (limit, extra = {}) => page.evaluate(async ({ limit, extra }) => {
      const { engine } = window.advlab;
      const settings = { dataset: 'mnist', arch: 'mnist-small', epochs: 1, train_limit: limit, seed: 4, ...extra };
      // No pause between jobs: the helpers must be stopped when a job's promise settles.
      const ev = await engine.job({ type: 'Train', slot: 'undefended', settings }).done;
      return { accuracy: ev.model.test_accuracy, loss: ev.model.test_loss, running: engine.running.size, helpers: engine.helpers.length };
    }, { limit, extra });
    // Plain training splits when every worker gets SPLIT_TRAIN_ROWS (64) rows of each batch.
    const big = { batch_size: 192, learning_rate: 0.006 };
    const first = await train(6000, big);
    assert.equal(first.helpers, 2);
    assert.equal(first.running, 0, 'the helpers stop when the main worker is done');
    assert.deepEqual(await train(6000, big), first, 'a seed and a worker count give one model');
    assert.ok(first.accuracy > 0.8, JSON.stringify(first));
    // With the preset's batch of 64 (21 rows per worker) it trains on the main worker alone:
    // the model is the one-worker model.
    const plain = await train(6000);
    const alone = await page.evaluate(async () => {
      const { engine } = window.advlab;
      const settings = { dataset: 'mnist', arch: 'mnist-small', epochs: 1, train_limit: 6000, seed: 4 };
      return engine.splittable({ type: 'Train', settings });
    });
    assert.equal(alone, false);
    assert.ok(plain.accuracy > 0.8, JSON.stringify(plain));
    // Fewer samples than SPLIT_TRAIN_MIN train on the main worker alone.
    const small = await train(2000);
    assert.ok(small.accuracy > 0.5, JSON.stringify(small));
    // AdversarialTrainer: each worker crafts the FGSM rows of its own part of every batch.
    const advTrainer = { method: 'adv-trainer', attacks: [{ attack: 'fgsm', eps: 0.2 }], ratio: 0.5 };
    const defended = await train(6000, { defence: advTrainer });
    assert.deepEqual(await train(6000, { defence: advTrainer }), defended);
    assert.ok(defended.accuracy > 0.7, JSON.stringify(defended));

    const madry = { method: 'madry-pgd', eps: 0.3, eps_step: 0.01, max_iter: 40 };
    const cancelled = await cancelAfter(page, 2500, { type: 'Train', slot: 'defended', settings: { dataset: 'mnist', arch: 'mnist-seed', epochs: 1, seed: 1, defence: madry } });
    assert.deepEqual(cancelled, { cancelled: true, running: 0 });
    assert.deepEqual(await train(6000, big), first, 'training works again after a cancel');
    assert.deepEqual(lab.errors, []);
  } finally {
    await lab.close();
    server.stop();
  }
});
