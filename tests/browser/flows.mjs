// Steps shared by the tests that open the lab in different packagings (served checkout, dist/
// site, the single offline file): a teacher's first minutes, driven through the page's controls.
import assert from 'node:assert/strict';
import { waitReady } from './harness.mjs';

export const text = (page, sel) => page.textContent(sel);

// Waits for the dataset status to name `count` training samples.
export async function datasetLoaded(page, count, timeout = 60000) {
  await page.waitForFunction((n) => document.querySelector('#dataset-status').textContent.includes(`${n} training`), count, { timeout });
}

// Clicks Train (or Train defended) and resolves with the model card's accuracy in %.
export async function train(page, slot = 'undefended', timeout = 120000) {
  const card = `.model[data-slot=${slot}] .acc`;
  await page.evaluate((sel) => { document.querySelector(sel).textContent = ''; }, card);
  await page.click(slot === 'defended' ? '#train-def-btn' : '#train-btn');
  await page.waitForFunction((sel) => document.querySelector(sel).textContent.includes('%'), card, { timeout });
  await page.waitForFunction(() => !document.body.dataset.busy);
  return parseFloat(await text(page, card));
}

// Runs the attack form's attack on the current input; resolves with its L-inf.
export async function attack(page, timeout = 60000) {
  await page.evaluate(() => { document.querySelector('#attack-norms').textContent = ''; });
  await page.click('#attack-btn');
  await page.waitForFunction(() => document.querySelector('#attack-norms').textContent.includes('L0'), null, { timeout });
  return page.evaluate(() => Number(document.querySelector('#attack-norms').dataset.linf));
}

// The classroom flow: the engine starts, IRIS trains, FGSM runs on a flower, then an MNIST model
// trains on (part of) the MNIST the packaging carries, `mnistTrain` training samples in all.
// Resolves with the seconds from opening the page to a trained IRIS model.
export async function classroomFlow(page, { mnistTrain, shot = null, opened = Date.now() }) {
  await waitReady(page);
  await datasetLoaded(page, 105);
  assert.ok(await train(page) >= 90, 'IRIS trains');
  const irisSeconds = (Date.now() - opened) / 1000;
  await page.selectOption('#attack-form select[name=attack]', 'fgsm');
  const linf = await attack(page);
  assert.ok(Math.abs(linf - 0.1) < 1e-4, `FGSM moved each feature by eps (L-inf ${linf})`);
  // The decision regions and a robustness curve (from the untrained defended slot: one model).
  await page.click('#map-btn');
  await page.waitForFunction(() => /fooled/.test(document.querySelector('#map-undefended').getAttribute('aria-label') || ''), null, { timeout: 30000 });
  await page.fill('#curve-form input[name=values]', '0, 0.1');
  await page.click('#curve-btn');
  await page.waitForFunction(() => document.querySelectorAll('#curve-table tr').length === 3, null, { timeout: 60000 });
  if (shot) await shot('iris');
  await page.selectOption('#train-form select[name=dataset]', 'mnist');
  await datasetLoaded(page, mnistTrain);
  await page.fill('#train-form input[name=train_limit]', '1000');
  await page.fill('#train-form input[name=epochs]', '1');
  assert.ok(await train(page) > 50, 'an MNIST model trains');
  // Draw a stroke: the drawing is digitised and scored.
  await page.evaluate(() => document.querySelector('#draw').scrollIntoView({ block: 'center' }));
  const box = await page.locator('#draw').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 20);
  await page.mouse.down();
  for (let y = 20; y < box.height - 20; y += 10) await page.mouse.move(box.x + box.width / 2, box.y + y);
  await page.mouse.up();
  await page.waitForFunction(() => /drawing/.test(document.querySelector('#input-label').textContent));
  await attack(page);
  if (shot) await shot('mnist');
  return irisSeconds;
}
