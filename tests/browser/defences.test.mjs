// The defence stack in the page: pieces from the catalog are added, reordered, applied to the
// defended model and change what it predicts; a robustness curve runs the naive and the adaptive
// (BPDA) attack on the stack side by side with the explanation beside it; a BinaryInputDetector
// trains as a job, reports its rates and scores every prediction; the stack survives a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openLab, waitReady } from './harness.mjs';
import { datasetLoaded, train, attack } from './flows.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

// Both models' scores for the first `n` test images, straight from the worker.
const scoresOf = (page, n) => page.evaluate(async (n) => {
  const out = [];
  for (let index = 0; index < n; index++) {
    const ev = await window.advlab.engine.request({ type: 'Predict', dataset: 'mnist', input: { kind: 'test', index } }, ['Prediction']);
    out.push(Array.from(new Float32Array(new Uint8Array(ev.result.scores.defended).buffer)));
  }
  return out;
}, n);

const addPiece = async (page, name) => {
  await page.selectOption('#stack-form select[name=add]', name);
  await page.click('#stack-add');
};

test('a defence stack changes predictions, and naive and adaptive curves tell gradient masking apart', { timeout: 300000 }, async () => {
  const lab = await openLab(`${server.url}#t.dataset=mnist&t.train_limit=2000&t.epochs=1`);
  const page = lab.page;
  try {
    await waitReady(page);
    await datasetLoaded(page, 60000);
    await train(page, 'undefended');
    await train(page, 'defended');
    const offered = await page.$$eval('#stack-form select[name=add] option', (o) => o.map((x) => x.value));
    for (const name of ['feature-squeezing', 'spatial-smoothing', 'gaussian-augmentation', 'high-confidence', 'reverse-sigmoid', 'rounded', 'class-labels']) {
      assert.ok(offered.includes(name), `${name} offered`);
    }
    const before = await scoresOf(page, 20);

    // Two pieces, reordered and one removed: the list is what gets applied.
    await addPiece(page, 'rounded');
    await addPiece(page, 'feature-squeezing');
    await page.click('#stack-list li:nth-child(2) button[data-action=up]');
    assert.deepEqual(await page.$$eval('#stack-list li', (l) => l.map((x) => x.dataset.method)), ['feature-squeezing', 'rounded']);
    await page.click('#stack-list li:nth-child(2) button[data-action=remove]');
    // Its default bit_depth 8 leaves MNIST unchanged, and the piece says so until it is lowered.
    assert.match(await page.textContent('#stack-list li .piece-warning'), /bit_depth 8 keeps at least 256 levels/);
    await page.fill('#stack-list input[name$=bit_depth]', '1');
    assert.ok(await page.locator('#stack-list li .piece-warning').isHidden());
    assert.match(await page.textContent('#stack-status'), /Not applied/);
    await page.click('#stack-apply');
    await page.waitForFunction(() => /Applied/.test(document.querySelector('#stack-status').textContent));
    assert.match(await page.textContent('.model[data-slot=defended] .stack-info'), /feature-squeezing\(bit_depth 1\) → model/);
    const after = await scoresOf(page, 20);
    assert.ok(after.some((s, i) => s.some((v, c) => Math.abs(v - before[i][c]) > 1e-4)), 'the stack changes the defended model\'s scores');

    // A bad value is refused next to its field, naming it; nothing is applied.
    await page.fill('#stack-list input[name$=bit_depth]', '99');
    await page.click('#stack-apply');
    await page.waitForFunction(() => /bit_depth/.test(document.querySelector('[data-error-for=stack]').textContent));
    await page.fill('#stack-list input[name$=bit_depth]', '1');

    // Naive and adaptive PGD curves on a stack that only hides gradients: ClassLabels reports
    // one-hot labels, whose gradient is zero, so the naive attack gets nowhere and BPDA (gradients
    // taken before the post-processor) does as well as on the bare model.
    await page.click('#stack-list li:nth-child(1) button[data-action=remove]');
    await addPiece(page, 'class-labels');
    await page.click('#stack-apply');
    await page.waitForFunction(() => /class-labels/.test(document.querySelector('.model[data-slot=defended] .stack-info').textContent));
    await page.selectOption('#attack-form select[name=attack]', 'pgd');
    assert.ok(await page.isVisible('#curve-form select[name=compare_adaptive]'));
    await page.selectOption('#curve-form select[name=compare_adaptive]', 'bpda');
    await page.fill('#curve-form input[name=values]', '0, 0.3');
    await page.fill('#curve-form input[name=n]', '30');
    await page.click('#curve-btn');
    await page.waitForFunction(() => document.querySelectorAll('#curve-table tr').length === 3, null, { timeout: 200000 });
    const header = await page.$$eval('#curve-table tr:first-child th', (c) => c.map((x) => x.textContent));
    const col = (re) => header.findIndex((h) => re.test(h));
    const naive = col(/^defended · PGD$/);
    const adaptive = col(/^defended · PGD · adaptive BPDA$/);
    assert.ok(naive > 0 && adaptive > 0, header.join(' | '));
    const at03 = await page.$$eval('#curve-table tr:nth-child(3) > *', (c) => c.map((x) => x.textContent));
    const pctOf = (s) => Number(s.replace('%', ''));
    assert.ok(pctOf(at03[adaptive]) + 20 <= pctOf(at03[naive]), `adaptive ${at03[adaptive]} vs naive ${at03[naive]}`);
    assert.equal(header.filter((h) => /adaptive/.test(h)).length, 1, 'only the stacked model gets an adaptive curve');
    assert.match(await page.textContent('#curve-warning'), /only hides gradients|Possible gradient masking/);
    assert.ok(await page.isVisible('#curve-adaptive-note'));
    assert.match(await page.textContent('#curve-adaptive-note'), /Athalye/);
    await lab.shot('defences-curve');

    // The detector: FGSM cannot move through ClassLabels (its gradient is zero), so a detector
    // trained against it there would learn nothing and is refused, naming why; without the stack
    // it trains as a job with its rates, then a verdict shows beside every prediction.
    await page.click('.stack-form details.detector summary');
    await page.fill('#detector-params input[name=det_train_limit]', '400');
    await page.fill('#detector-params input[name=det_test_limit]', '100');
    await page.fill('#detector-params input[name=det_epochs]', '2');
    await page.click('#detector-btn');
    await page.waitForFunction(() => /changed none of the training samples/.test(document.body.textContent), null, { timeout: 120000 });
    await page.click('#stack-list li:nth-child(1) button[data-action=remove]');
    await page.click('#stack-apply');
    await page.waitForFunction(() => window.advlab.lab.models.defended.stack.pieces.length === 0);
    await page.fill('#detector-params input[name=det_train_limit]', '400');
    await page.fill('#detector-params input[name=det_test_limit]', '100');
    await page.fill('#detector-params input[name=det_epochs]', '2');
    await page.click('#detector-btn');
    await page.waitForFunction(() => /flags/.test(document.querySelector('#detector-status').textContent), null, { timeout: 120000 });
    assert.match(await page.textContent('#detector-status'), /flags \d+(\.\d)?% of FGSM examples and \d+(\.\d)?% of clean inputs \(100 test samples each\)/);
    await page.waitForSelector('#input-detector:not([hidden])');
    assert.match(await page.textContent('#input-detector'), /detector: (adversarial|looks clean) \(score \d\.\d\d\)/);
    // ClassLabels again, in front of the detector that was trained without it.
    await addPiece(page, 'class-labels');
    await page.click('#stack-apply');
    await page.waitForFunction(() => /class-labels/.test(document.querySelector('.model[data-slot=defended] .stack-info').textContent));
    await page.selectOption('#attack-form select[name=model]', 'defended');
    assert.ok(await page.isVisible('#adaptive-params select[name=adaptive]'), 'the attack panel offers the adaptive modes');
    await attack(page);
    assert.match(await page.textContent('#attack-norms'), /defended detector: adversarial input (adversarial|looks clean) \(\d\.\d\d\), original (adversarial|looks clean) \(\d\.\d\d\)/);
    await lab.shot('defences-stack');

    // Korean, then a reload: the stored model comes back with its stack.
    await page.selectOption('#lang', 'ko');
    assert.match(await page.textContent('#stack-form legend'), /방어 스택/);
    await page.selectOption('#lang', 'en');
    await page.reload();
    await waitReady(page);
    await page.waitForFunction(() => /class-labels/.test(document.querySelector('.model[data-slot=defended] .stack-info').textContent), null, { timeout: 60000 });
    assert.deepEqual(await page.$$eval('#stack-list li', (l) => l.map((x) => x.dataset.method)), ['class-labels']);
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});
