// The keyboard and a screen reader: a skip button puts Train within reach of the first Tabs, a
// job started with the keyboard keeps focus on Cancel and gives it back to its button, and the
// job's start and end are announced once each (not every progress tick).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openLab, waitReady } from './harness.mjs';
import { datasetLoaded } from './flows.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

test('Train is two keys from the top, focus follows the job, and the job is announced once each way', { timeout: 120000 }, async () => {
  const lab = await openLab(`${server.url}#t.epochs=300`);
  const page = lab.page;
  try {
    await waitReady(page);
    await datasetLoaded(page, 105);
    // Count the announcements the live region makes.
    await page.evaluate(() => {
      window.__said = [];
      new MutationObserver(() => window.__said.push(document.querySelector('#job-announce').textContent))
        .observe(document.querySelector('#job-announce'), { childList: true, characterData: true, subtree: true });
    });
    // The page has the keyboard, as a student's tab does (the lab moves focus only then; a
    // headless window may start without it when the machine is busy).
    await page.bringToFront();
    await page.waitForFunction(() => document.hasFocus());
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'skip-btn');
    assert.ok(await page.isVisible('#skip-btn'), 'the skip button shows when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'train-btn');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.body.dataset.busy === 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'cancel-btn', 'focus waits on Cancel while the job runs');
    await page.waitForFunction(() => !document.body.dataset.busy, null, { timeout: 90000 });
    await page.waitForFunction(() => document.activeElement.id === 'train-btn', null, { timeout: 2000 });
    const said = await page.evaluate(() => window.__said);
    assert.equal(said.length, 2, JSON.stringify(said));
    assert.match(said[0], /started/);
    assert.match(said[1], /Done in/);
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});
