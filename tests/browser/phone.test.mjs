// The lab on a 390x844 touch screen: every control is at least 24x24 CSS px and the main buttons
// 44 px tall, the status bar stays one line while a job runs and after, chart legends measure
// their text on one line (no overlapping entries), and nothing scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openLab, waitReady } from './harness.mjs';
import { train, attack } from './flows.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

// Visible controls smaller than 24x24 (a file input drawn as its label's button is not one).
function smallTargets() {
  const small = [];
  for (const el of document.querySelectorAll('button, input, select, summary, a[href], .file-button')) {
    if (!el.checkVisibility() || getComputedStyle(el).opacity === '0') continue;
    const b = el.getBoundingClientRect();
    if (b.width < 24 || b.height < 24) small.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}[${el.name || el.type || el.textContent.trim().slice(0, 20)}] ${Math.round(b.width)}x${Math.round(b.height)}`);
  }
  return small;
}

const mainButtons = () => ['#train-btn', '#attack-btn', '#curve-btn'].map((s) => [s, document.querySelector(s).getBoundingClientRect().height]);
const statusHeight = () => document.querySelector('.statusbar').getBoundingClientRect().height;

test('on a 390x844 touch screen: touch targets, a one-line status bar, no sideways scrolling', { timeout: 180000 }, async () => {
  const lab = await openLab(`${server.url}#t.dataset=mnist&t.arch=mnist-small&t.train_limit=1000&t.epochs=1`, { viewport: { width: 390, height: 844 }, touch: true, deviceScaleFactor: 3 });
  const page = lab.page;
  try {
    await waitReady(page);
    await page.waitForFunction(() => /60000/.test(document.querySelector('#dataset-status').textContent), null, { timeout: 90000 });
    assert.deepEqual(await page.evaluate(smallTargets), [], 'controls under 24x24 CSS px');
    for (const [sel, h] of await page.evaluate(mainButtons)) assert.ok(h >= 44, `${sel} is ${h} px tall`);
    const oneLine = await page.evaluate(statusHeight);
    assert.ok(oneLine <= 48, `the status bar is ${oneLine} px tall`);
    // While a job runs the job bar takes the chips' place: still one line.
    await page.click('#train-btn');
    await page.waitForSelector('#jobbar:not([hidden])');
    const running = await page.evaluate(statusHeight);
    assert.ok(running <= 48, `the status bar is ${running} px tall while training`);
    assert.ok(await page.isVisible('#cancel-btn'), 'Cancel stays on screen');
    await page.waitForFunction(() => !document.body.dataset.busy, null, { timeout: 120000 });
    await attack(page);
    assert.deepEqual(await page.evaluate(smallTargets), [], 'controls under 24x24 CSS px after an attack');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'nothing scrolls sideways');
    // Chart text is measured in a span like this one (plotters): it must stay one line however
    // wide the text is at 3x, or legend entries are placed over each other.
    const lines = await page.evaluate(() => {
      const span = document.createElement('span');
      span.textContent = 'Undefended model: 2 (17%) and a long legend entry';
      span.setAttribute('style', 'display: inline-block; font-family:sans-serif; font-style:normal; font-size: 37.5px; position: fixed; top: 100%');
      document.body.append(span);
      const ratio = span.offsetHeight / 37.5;
      span.remove();
      return ratio;
    });
    assert.ok(lines < 1.6, `the measuring span wraps (${lines.toFixed(2)} font sizes tall)`);
    await lab.shot('phone-390x844');
    await page.locator('#attack-scores').screenshot({ path: new URL('./artifacts/phone-attack-scores.png', import.meta.url).pathname });
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});
