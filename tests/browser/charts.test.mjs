// Charts drawn on the page's main thread: www/charts.js loads the wasm there and draws one
// chart of each kind onto canvases; the test reads the pixels back, checks the aria-label
// summaries, the errors of bad specs and the console, and saves a screenshot of each chart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, openLab, waitReady, artifacts } from './harness.mjs';
import { all, sizes } from './chart-specs.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

// Inside the page: draws each spec on a canvas (640×400 CSS pixels unless `sizes` says
// otherwise) and measures what was drawn.
async function drawAll({ specs, sizes = {} }) {
  const charts = await import('./charts.js');
  await charts.initCharts();
  const box = document.createElement('div');
  box.id = 'chart-test';
  box.style.cssText = 'display:flex;flex-wrap:wrap;gap:8px;padding:8px;background:#fff';
  document.body.append(box);
  // Typed arrays, as the worker sends them, must work too.
  specs.decisionMap.grid.classes = Uint8Array.from(specs.decisionMap.grid.classes);
  specs.bars.series[0].values = Float32Array.from(specs.bars.series[0].values);
  const out = {};
  for (const [name, spec] of Object.entries(specs)) {
    const canvas = document.createElement('canvas');
    canvas.id = `chart-${name}`;
    const [w, h] = sizes[name] || [640, 400];
    canvas.style.cssText = `width:${w}px;height:${h}px`;
    box.append(canvas);
    charts.drawChart(canvas, spec);
    const ctx = canvas.getContext('2d');
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const near = (i, [r, g, b]) => Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 24;
    const colours = { blue: [0, 114, 178], vermillion: [213, 94, 0], fooled: [178, 24, 43] };
    const counts = { ink: 0, blue: 0, vermillion: 0, fooled: 0 };
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250) counts.ink++;
      for (const [c, rgb] of Object.entries(colours)) if (near(i, rgb)) counts[c]++;
    }
    out[name] = {
      size: [canvas.width, canvas.height],
      css: [w, h],
      pixels: canvas.width * canvas.height,
      counts,
      role: canvas.getAttribute('role'),
      label: canvas.getAttribute('aria-label'),
    };
  }
  return out;
}

async function shoot(page, names, suffix = '') {
  for (const name of names) {
    await page.locator(`#chart-${name}`).screenshot({ path: join(artifacts, `chart-${name}${suffix}.png`) });
  }
}

test('each chart kind draws on a canvas with a text summary and no console errors', { timeout: 60000 }, async () => {
  const lab = await openLab(server.url);
  try {
    await waitReady(lab.page);
    const r = await lab.page.evaluate(drawAll, { specs: all, sizes });
    for (const [name, m] of Object.entries(r)) {
      assert.deepEqual(m.size, m.css, name);
      assert.equal(m.role, 'img', name);
      // Not blank: axes, text and data cover a real share of the canvas.
      assert.ok(m.counts.ink > m.pixels * 0.02, `${name} looks blank: ${JSON.stringify(m.counts)}`);
      assert.ok(m.counts.blue > 50, `${name} lacks its first colour: ${JSON.stringify(m.counts)}`);
    }
    assert.ok(r.bars.counts.vermillion > 200, 'the defended series is drawn');
    assert.ok(r.decisionMap.counts.fooled > 100, 'fooled arrows are drawn');
    assert.equal(r.bars.label, 'Class scores: undefended predicts 7 (93%), defended predicts 7 (88%)');
    assert.equal(r.irisBars.label, 'IRIS scores: undefended predicts virginica (63%), defended predicts versicolor (81%)');
    assert.equal(r.training.label, 'Training: train loss goes from 0.62 to 0.048 as epoch goes from 1 to 8; '
      + 'test loss goes from 0.25 to 0.082 as epoch goes from 1 to 8');
    assert.match(r.robustness.label, /^Accuracy under FGSM: undefended accuracy goes from 0\.988 to 0\.02 as ε \(L∞\) goes from 0 to 0\.3; defended/);
    assert.equal(r.decisionMap.label, 'IRIS: petal length × petal width: model regions for setosa, versicolor, '
      + 'virginica over petal length (cm) against petal width (cm); 18 test points; 3 of 5 attacks fooled the model');
    await shoot(lab.page, Object.keys(all));
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});

test('at devicePixelRatio 2 the backing store doubles and text scales with it', { timeout: 60000 }, async () => {
  const lab = await openLab(server.url, { deviceScaleFactor: 2 });
  try {
    await waitReady(lab.page);
    const r = await lab.page.evaluate(drawAll, { specs: { bars: all.bars, decisionMap: all.decisionMap } });
    assert.deepEqual(r.bars.size, [1280, 800]);
    // Same drawing at twice the resolution: about four times the inked pixels of a 1× canvas.
    assert.ok(r.bars.counts.ink > r.bars.pixels * 0.02);
    await shoot(lab.page, ['bars', 'decisionMap'], '-dpr2');
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});

test('a bad spec throws a readable error and the next chart still draws', { timeout: 60000 }, async () => {
  const lab = await openLab(server.url);
  try {
    await waitReady(lab.page);
    const r = await lab.page.evaluate(async (good) => {
      const charts = await import('./charts.js');
      await charts.initCharts();
      const canvas = document.createElement('canvas');
      canvas.style.cssText = 'width:400px;height:300px';
      document.body.append(canvas);
      const attempt = (spec) => {
        try { charts.drawChart(canvas, spec); return 'no error'; } catch (e) { return `${e.constructor.name}: ${e.message}`; }
      };
      const grid = { ...good.decisionMap, grid: { width: 60, height: 40, classes: [0, 1, 2] } };
      return {
        grid: attempt(grid),
        labels: attempt({ ...good.bars, labels: ['a', 'b'] }),
        kind: attempt({ kind: 'pie', title: 'x' }),
        field: attempt({ ...good.training, yRange: [0, 1] }),
        after: attempt(good.training),
        // A diverged run: NaN and Infinity are skipped (and counted in a note), not errors.
        nan: attempt({ ...good.training, series: [{ name: 'train', points: [[1, 0.5], [2, NaN], [3, Infinity], [4, 0.2]] }] }),
        pointsOnly: charts.chartSummary({ ...good.decisionMap, grid: undefined, arrows: [] }),
        tiny: (() => { canvas.style.cssText = 'width:40px;height:30px'; return attempt(good.training); })(),
      };
    }, all);
    assert.equal(r.grid, 'Error: grid.classes has 3 entries but 2400 are needed (grid.width × grid.height)');
    assert.equal(r.labels, 'Error: series[0].values has 10 entries but 2 are needed (one value per label)');
    assert.match(r.kind, /^Error: bad chart spec: unknown variant `pie`/);
    assert.match(r.field, /^Error: bad chart spec: unknown field `yRange`/);
    assert.equal(r.after, 'no error');
    assert.equal(r.nan, 'no error');
    assert.equal(r.pointsOnly, 'IRIS: petal length × petal width: classes setosa, versicolor, virginica '
      + 'over petal length (cm) against petal width (cm); 18 test points');
    assert.match(r.tiny, /^Error: the canvas is 40×30 pixels, too small for this chart/);
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});
