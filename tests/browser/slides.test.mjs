// The lab on a lecture slide: a real reveal.js deck (npm reveal.js), served from another origin as
// a teacher's deck would be, embeds `?embed=1&panels=input,attack&autorun=1` at 960x540 on its
// second slide. Without a click, both models train and the chosen input is attacked; the frame has
// no scrollbars; the keyboard still drives the deck. The same view is checked at 640x360 and on a
// phone, and the embed code the page hands out reproduces the view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join, normalize, extname } from 'node:path';
import { startServer, openLab, launch, artifacts, repo } from './harness.mjs';

const here = join(repo, 'tests', 'browser');
let lab;
let deck;

// Serves the deck and reveal.js on an ephemeral port (a different origin from the lab's).
function serveDeck(labUrl) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.woff': 'font/woff', '.woff2': 'font/woff2' };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(req.url.split('?')[0]);
    if (path === '/' || path === '/deck.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(readFileSync(join(here, 'fixtures', 'deck.html'), 'utf8').replace('LAB_URL', labUrl));
      return;
    }
    if (path === '/favicon.ico') { res.writeHead(204); res.end(); return; }
    const file = normalize(join(here, 'node_modules', path));
    if (!file.startsWith(join(here, 'node_modules', 'reveal.js')) || !existsSync(file)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, stop: () => server.close() })));
}

const EMBED = '?embed=1&panels=input,attack&autorun=1';

// Whether the frame's document fits its viewport (no scrollbars), and what it shows.
function frameState() {
  const d = document.documentElement;
  const panels = [...document.querySelectorAll('#lab > section')].filter((s) => !s.hidden).map((s) => s.id);
  return {
    fits: d.scrollHeight <= innerHeight && d.scrollWidth <= innerWidth,
    sizes: [d.scrollWidth, d.scrollHeight, innerWidth, innerHeight],
    panels,
    overflow: getComputedStyle(document.body).overflow,
  };
}

// Both models' predictions and the attack's result are on screen.
// (A slide that was left and reached again may still be loading its document: not done yet.)
const autorunDone = () => {
  const scores = document.querySelector('#input-scores');
  const norms = document.querySelector('#attack-norms');
  const label = (scores && scores.getAttribute('aria-label')) || '';
  return /Undefended model predicts/.test(label) && /Defended model predicts/.test(label) && Boolean(norms) && /L0/.test(norms.textContent);
};

before(async () => {
  lab = await startServer();
  deck = await serveDeck(`${lab.url}${EMBED}`);
});
after(() => { lab.stop(); deck.stop(); });

test('a reveal.js slide embeds the lab at 960x540: it runs without a click, fits, and ArrowRight still moves the deck', { timeout: 120000 }, async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(deck.url);
    await page.waitForFunction(() => window.Reveal && Reveal.isReady());
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => Reveal.getIndices().h), 1);
    const frame = await (async () => {
      for (let i = 0; i < 100; i++) {
        const f = page.frames().find((x) => x.url().includes('embed=1'));
        if (f) return f;
        await page.waitForTimeout(100);
      }
      throw new Error('the slide did not load its iframe');
    })();
    await frame.waitForFunction(autorunDone, null, { timeout: 90000 });
    const state = await frame.evaluate(frameState);
    assert.deepEqual(state.panels, ['input-panel', 'attack-panel']);
    assert.ok(state.fits, `no scrollbars: ${state.sizes}`);
    await page.screenshot({ path: join(artifacts, 'slides-deck-960x540.png') });
    // The frame never took the keyboard: the deck still has it.
    assert.notEqual(await page.evaluate(() => document.activeElement && document.activeElement.tagName), 'IFRAME');
    // A click into the lab gives it the keys (ArrowRight stays in the frame); Escape hands them
    // back to the deck.
    await frame.click('#input-label');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => Reveal.getIndices().h), 1, 'the lab has the keys after a click');
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => Reveal.getIndices().h), 2, 'ArrowRight moved the deck on after Escape');
    assert.deepEqual(errors, []);
  } finally { await browser.close(); }
});

test('a slide with autorun=1#t.dataset=mnist shows the attack from the shipped models once reached, and going back never retrains', { timeout: 120000 }, async () => {
  const mnistDeck = await serveDeck(`${lab.url}${EMBED}#t.dataset=mnist`);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(mnistDeck.url);
    await page.waitForFunction(() => window.Reveal && Reveal.isReady());
    // The slide's frame once its lab document is there (Reveal unloads a left slide's iframe and
    // loads it again when the slide is reached, so a frame found too early may be on its way out).
    const frameOf = async () => {
      for (let i = 0; i < 300; i++) {
        const f = page.frames().find((x) => x.url().includes('embed=1') && !x.isDetached());
        const ready = f && await f.evaluate(() => Boolean(document.querySelector('#input-scores'))).catch(() => false);
        if (ready) return f;
        await page.waitForTimeout(50);
      }
      throw new Error('the slide did not load its iframe');
    };
    const start = Date.now();
    await page.keyboard.press('ArrowRight');
    let frame = await frameOf();
    await frame.waitForFunction(autorunDone, null, { timeout: 60000 });
    console.log(`# mnist slide: attack shown ${((Date.now() - start) / 1000).toFixed(2)} s after the slide was reached`);
    const shipped = () => ['undefended', 'defended'].map((s) => window.advlab.lab.models[s] && window.advlab.lab.models[s].shipped);
    assert.deepEqual(await frame.evaluate(shipped), ['mnist-small', 'mnist-small-fgsm'], 'the page defaults’ shipped models, not a training run');
    await page.screenshot({ path: join(artifacts, 'slides-deck-mnist-960x540.png') });
    // Away and back: the slide shows its result again, from the kept or shipped models.
    await page.keyboard.press('ArrowRight');
    const left = frame;
    for (let i = 0; i < 60 && !left.isDetached() && left.url().includes('embed=1'); i++) await page.waitForTimeout(50);
    await page.keyboard.press('ArrowLeft');
    frame = await frameOf();
    await frame.waitForFunction(autorunDone, null, { timeout: 60000 });
    assert.deepEqual(await frame.evaluate(shipped), ['mnist-small', 'mnist-small-fgsm']);
    assert.doesNotMatch(await frame.evaluate(() => document.querySelector('#job-name').textContent), /Training/);
    assert.deepEqual(errors, []);
  } finally { await browser.close(); mnistDeck.stop(); }
});

// The smallest text on screen, in CSS px at the frame's size (font size times CSS zoom), and where.
function smallestText() {
  let min = Infinity;
  let where = '';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!n.textContent.trim() || !p.checkVisibility() || p.closest('.visually-hidden')) continue;
    const size = parseFloat(getComputedStyle(p).fontSize) * (p.currentCSSZoom || 1);
    if (size < min) { min = size; where = n.textContent.trim().slice(0, 40); }
  }
  return { min, where };
}

for (const [w, h] of [[640, 360], [960, 540], [1280, 720]]) {
  test(`the embed lays itself out for ${w}x${h}: MNIST's panels side by side, readable, settings behind a button`, { timeout: 180000 }, async () => {
    const view = await openLab(`${lab.url}${EMBED}#t.dataset=mnist&t.train_limit=2000&t.epochs=1&i.index=0`, { viewport: { width: w, height: h } });
    const page = view.page;
    try {
      await page.waitForFunction(autorunDone, null, { timeout: 150000 });
      await page.waitForTimeout(300);
      const state = await page.evaluate(frameState);
      assert.ok(state.fits, `no scrollbars: ${state.sizes}`);
      const [a, b] = await Promise.all(['#input-panel', '#attack-panel'].map((s) => page.locator(s).boundingBox()));
      assert.ok(Math.abs(a.y - b.y) < 2 && b.x > a.x + a.width - 1, 'side by side');
      for (const box of [a, b]) assert.ok(box.y + box.height <= h + 1 && box.x + box.width <= w + 1, `inside the frame: ${JSON.stringify(box)}`);
      const text = await page.evaluate(smallestText);
      assert.ok(text.min >= 11 - 1e-3, `the smallest text is ${text.min.toFixed(2)} px ("${text.where}")`);
      // What shows: the images, both score charts and the main buttons; the settings do not.
      for (const sel of ['#seen', '#adv-img', '#input-scores', '#attack-scores', '#attack-btn', '#random-btn', '#settings-btn']) {
        assert.ok(await page.isVisible(sel), `${sel} shows`);
      }
      assert.ok(!(await page.isVisible('#attack-form select[name=attack]')), 'the attack settings are collapsed');
      await view.shot(`embed-mnist-${w}x${h}`);
      // Still usable: a click on Random picks another digit and both models score it.
      await page.click('#random-btn');
      await page.waitForFunction(() => !/^#0 /.test(document.querySelector('#input-label').textContent));
      // The Settings button opens them (the frame may scroll then), with text still readable.
      await page.click('#settings-btn');
      assert.equal(await page.getAttribute('#settings-btn', 'aria-expanded'), 'true');
      assert.ok(await page.isVisible('#attack-form select[name=attack]'), 'the settings open');
      await page.waitForTimeout(200);
      const open = await page.evaluate(smallestText);
      assert.ok(open.min >= 11 - 1e-3, `with settings open the smallest text is ${open.min.toFixed(2)} px ("${open.where}")`);
      await view.shot(`embed-mnist-${w}x${h}-settings`);
      await page.click('#settings-btn');
      assert.ok(!(await page.isVisible('#attack-form select[name=attack]')), 'and close again');
      assert.deepEqual(view.errors, []);
    } finally { await view.close(); }
  });
}

test('Copy embed code hands out an iframe of the current view that reopens it', { timeout: 120000 }, async () => {
  const page = await openLab(`${lab.url}?panels=input,attack#a.eps=0.15`, { permissions: ['clipboard-read', 'clipboard-write'] });
  try {
    await page.page.waitForSelector('#engine-status[data-state="ready"]');
    await page.page.selectOption('#embed-size', '640x360');
    await page.page.click('#copy-embed-btn');
    await page.page.waitForFunction(() => /copied/i.test(document.querySelector('#share-status').textContent));
    const snippet = await page.page.evaluate(() => navigator.clipboard.readText());
    assert.match(snippet, /^<iframe src="[^"]+" width="640" height="360" style="border:0" title="advlab" loading="lazy"><\/iframe>$/);
    const src = snippet.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&');
    const url = new URL(src);
    assert.equal(url.searchParams.get('embed'), '1');
    assert.equal(url.searchParams.get('panels'), 'input,attack');
    assert.match(url.hash, /a\.eps=0\.15/);
    await page.page.click('#copy-link-btn');
    await page.page.waitForFunction(() => /Link copied/.test(document.querySelector('#share-status').textContent));
    assert.match(await page.page.evaluate(() => navigator.clipboard.readText()), /a\.eps=0\.15/);
    assert.deepEqual(page.errors, []);
  } finally { await page.close(); }
});

test('on a phone the full lab stacks its panels and scrolls normally', { timeout: 60000 }, async () => {
  const phone = await openLab(`${lab.url}?autorun=1`, { viewport: { width: 390, height: 844 } });
  try {
    await phone.page.waitForFunction(autorunDone, null, { timeout: 60000 });
    await phone.shot('phone-autorun');
    const widths = await phone.page.$$eval('#lab > section', (s) => s.map((x) => x.getBoundingClientRect().width));
    assert.ok(widths.every((w) => w <= 390), `${widths}`);
    assert.ok(await phone.page.evaluate(() => document.documentElement.scrollWidth <= 390), 'nothing scrolls sideways');
    assert.deepEqual(phone.errors, []);
  } finally { await phone.close(); }
});
