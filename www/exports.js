// Export buttons: every chart downloads as PNG (drawn again at twice its size on the page, on
// white, so it is sharp in a slide) and as CSV (the numbers of the spec it was drawn from, to 4
// significant digits: 0.945, not 0.9449999928474426), and the attack's original, adversarial and
// perturbation images download as PNG, enlarged 10× without smoothing so they stay sharp on a
// slide. Buttons stay disabled until there is something to export.
import { t } from './i18n.js';
import { $$, download, csvNumber } from './ui.js';
import { chartPng } from './charts.js';

const quote = (v) => {
  const s = String(csvNumber(v) ?? '');
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const rows = (lines) => `${lines.map((l) => l.map(quote).join(',')).join('\n')}\n`;

// The numbers behind a chart spec (docs/charts.md), as CSV text.
export function chartCsv(spec) {
  if (spec.kind === 'bars') {
    const series = spec.series || [];
    return rows([['label', ...series.map((s) => s.name)],
      ...spec.labels.map((label, i) => [label, ...series.map((s) => s.values[i])])]);
  }
  if (spec.kind === 'lines') {
    return rows([['series', spec.x_label || 'x', spec.y_label || 'y'],
      ...(spec.series || []).flatMap((s) => Array.from(s.points || []).map(([x, y]) => [s.name, x, y]))]);
  }
  if (spec.kind === 'decision_map') {
    const names = spec.class_names || [];
    const arrows = spec.arrows || [];
    return rows([[spec.x_label || 'x', spec.y_label || 'y', 'class', 'adversarial_x', 'adversarial_y', 'fooled'],
      ...(spec.points || []).map((p, i) => {
        const a = arrows[i];
        return [p.x, p.y, names[p.class] ?? p.class, a ? a.to[0] : '', a ? a.to[1] : '', a ? a.fooled : ''];
      })]);
  }
  throw new Error(`no CSV for a ${spec.kind} chart`);
}

// A canvas as PNG bytes, optionally enlarged `scale` times without smoothing.
function pngOf(canvas, scale = 1) {
  let source = canvas;
  if (scale !== 1) {
    source = document.createElement('canvas');
    source.width = canvas.width * scale;
    source.height = canvas.height * scale;
    const ctx = source.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(canvas, 0, 0, source.width, source.height);
  }
  return new Promise((resolve) => source.toBlob(resolve, 'image/png'));
}

function button(text, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'small secondary';
  b.textContent = text;
  b.disabled = true;
  b.addEventListener('click', onClick);
  return b;
}

export function initExports(lab) {
  const name = (canvas, ext) => `advlab-${lab.dataset ? lab.dataset.name : 'lab'}-${canvas.id}.${ext}`;
  for (const canvas of $$('canvas.chart')) {
    const png = button('PNG', async () => download(name(canvas, 'png'), await chartPng(canvas, 2), 'image/png'));
    const csv = button('CSV', () => download(name(canvas, 'csv'), chartCsv(canvas.chartSpec), 'text/csv'));
    png.dataset.export = `${canvas.id}-png`;
    csv.dataset.export = `${canvas.id}-csv`;
    const tools = document.createElement('div');
    tools.className = 'chart-tools';
    tools.append(png, csv);
    // The canvas and its buttons stay together in grids (the two decision maps).
    const box = document.createElement('div');
    box.className = 'chart-box';
    // What hides the canvas for one kind of data (image or feature datasets) hides its buttons too.
    if (canvas.dataset.kind) box.dataset.kind = canvas.dataset.kind;
    canvas.replaceWith(box);
    box.append(canvas, tools);
    canvas.addEventListener('chartdrawn', () => { png.disabled = false; csv.disabled = false; });
    // The buttons are named by the chart's title (its whole text equivalent is the canvas's).
    const label = () => {
      const what = (canvas.chartSpec && canvas.chartSpec.title) || t('chart_word');
      png.setAttribute('aria-label', t('export_png', { what }));
      csv.setAttribute('aria-label', t('export_csv', { what }));
    };
    canvas.addEventListener('chartdrawn', label);
  }
  for (const canvas of $$('.images canvas')) {
    const png = button('PNG', async () => download(name(canvas, 'png'), await pngOf(canvas, 10), 'image/png'));
    png.dataset.export = `${canvas.id}-png`;
    canvas.closest('figure').append(png);
  }
  lab.on('attack', () => { for (const b of $$('.images button')) b.disabled = false; });
}
