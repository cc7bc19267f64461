// axe-core finds no accessibility violation in the states a class goes through: the first load,
// after training, after an attack, after switching IRIS -> MNIST (no model yet), the Korean page,
// and a slide embed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openLab, waitReady } from './harness.mjs';
import { datasetLoaded, train, attack } from './flows.mjs';
import { axeViolations } from './axe.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

const clean = async (page, state) => assert.deepEqual(await axeViolations(page), [], `axe violations ${state}`);

test('axe: first load, trained, attacked, switched to MNIST', { timeout: 180000 }, async () => {
  const lab = await openLab(`${server.url}#t.epochs=50`);
  const page = lab.page;
  try {
    await waitReady(page);
    await datasetLoaded(page, 105);
    await clean(page, 'at first load');
    await train(page);
    await clean(page, 'after training');
    await page.selectOption('#attack-form select[name=attack]', 'fgsm');
    await attack(page);
    await clean(page, 'after an attack');
    await page.selectOption('#train-form select[name=dataset]', 'mnist');
    await datasetLoaded(page, 60000);
    await clean(page, 'after switching datasets');
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});

test('axe: the Korean page after an attack', { timeout: 120000 }, async () => {
  const lab = await openLab(`${server.url}?lang=ko#t.epochs=50`);
  const page = lab.page;
  try {
    await waitReady(page);
    await page.waitForFunction(() => /105/.test(document.querySelector('#dataset-status').textContent));
    await train(page);
    await attack(page);
    await clean(page, 'in Korean');
  } finally { await lab.close(); }
});

test('axe: a 960x540 slide embed after its autorun', { timeout: 120000 }, async () => {
  const lab = await openLab(`${server.url}?embed=1&panels=input,attack&autorun=1`, { viewport: { width: 960, height: 540 } });
  const page = lab.page;
  try {
    await page.waitForFunction(() => /L0/.test(document.querySelector('#attack-norms').textContent), null, { timeout: 90000 });
    await clean(page, 'in an embed');
    await page.click('#settings-btn');
    await clean(page, 'in an embed with its settings open');
  } finally { await lab.close(); }
});
