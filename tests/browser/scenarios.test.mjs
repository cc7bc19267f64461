// The report's four experiments, each started from its URL (`?scenario=tableN&quick=1`, the quick
// variant, so CI stays fast): the page loads the dataset, trains both models, runs the curve over
// the report's values and draws the report's own figures as dashed reference lines, with a caption
// saying what differs. The scenario menu runs one too, and Cancel stops a scenario's job.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openLab } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

// The curve's chart spec and caption once the scenario has drawn it.
async function curveOf(page, timeout) {
  await page.waitForFunction(() => {
    const spec = document.querySelector('#curve-chart').chartSpec;
    return spec && spec.series.some((s) => /^report/.test(s.name));
  }, null, { timeout });
  return page.evaluate(() => ({
    spec: document.querySelector('#curve-chart').chartSpec,
    caption: document.querySelector('#curve-caption').textContent,
    rows: document.querySelectorAll('#curve-table tr').length,
    defended: window.advlab.lab.models.defended,
  }));
}

const EXPECT = {
  table1: { dataset: 'mnist', param: 'eps', values: [0.2, 0.3, 0.4, 0.5], report: 'MNIST' },
  table2: { dataset: 'mnist', param: 'epsilon', values: [0.2, 0.3, 0.4, 0.5], report: 'CIFAR-10' },
  table3: { dataset: 'iris', param: 'theta', values: [0.1, 0.2, 0.3, 0.4], report: 'IRIS' },
  table4: { dataset: 'iris', param: 'theta', values: [0.1, 0.2, 0.3, 0.4], report: 'IRIS' },
};

for (const [id, want] of Object.entries(EXPECT)) {
  test(`?scenario=${id} produces its curve beside the report's reference line`, { timeout: 240000 }, async () => {
    const lab = await openLab(`${server.url}?scenario=${id}&quick=1`);
    try {
      const { spec, caption, rows, defended } = await curveOf(lab.page, 220000);
      const measured = spec.series.filter((s) => !/^report/.test(s.name));
      const reference = spec.series.filter((s) => /^report/.test(s.name));
      assert.equal(measured.length, 2, 'one measured curve per model');
      assert.equal(reference.length, 2, 'the report\u2019s undefended and defended figures');
      assert.ok(reference.every((s) => s.style === 'dashed') && measured.every((s) => s.style === 'solid'));
      assert.deepEqual(measured[0].points.map((p) => p[0]), want.values);
      assert.ok(measured.flatMap((s) => s.points).every(([, y]) => y >= 0 && y <= 1));
      assert.equal(spec.x_label, want.param);
      assert.equal(rows, 5, 'a table row per value');
      assert.match(caption, new RegExp(`report\u2019s figures \\(${want.report}`));
      assert.equal(defended.dataset, want.dataset);
      if (id === 'table2') assert.match(caption, /stands in for CIFAR-10/);
      await lab.shot(`scenario-${id}`);
      assert.deepEqual(lab.errors, []);
    } finally { await lab.close(); }
  });
}

test('the scenario menu runs one, and Cancel ends it with the old models kept', { timeout: 240000 }, async () => {
  const lab = await openLab(server.url);
  const page = lab.page;
  try {
    await page.waitForSelector('#engine-status[data-state="ready"]');
    await page.selectOption('#scenario-form select[name=scenario]', 'table3');
    await page.check('#scenario-form input[name=quick]');
    await page.click('#scenario-btn');
    await curveOf(page, 120000);
    const before = await page.textContent('.model[data-slot=defended] .acc');
    // Table 1 at its full browser size takes long enough to cancel during training.
    await page.uncheck('#scenario-form input[name=quick]');
    await page.selectOption('#scenario-form select[name=scenario]', 'table1');
    await page.click('#scenario-btn');
    await page.waitForFunction(() => document.querySelector('#job-name').textContent.includes('Training') && document.querySelector('#job-progress').value > 0.01, null, { timeout: 60000 });
    await page.click('#cancel-btn');
    await page.waitForFunction(() => /Cancelled/.test(document.querySelector('#job-text').textContent), null, { timeout: 5000 });
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => document.body.dataset.busy), undefined, 'no further step started');
    assert.match(await page.textContent('#dataset-status'), /mnist/);
    assert.notEqual(before, '');
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});
