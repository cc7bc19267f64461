// `make dist`: the lab as things anyone can open, from the built wasm (pkg/) and the page (www/).
//
//   dist/                 a static site: index.html and its modules, pkg/ (the wasm and its glue),
//                         datasets/ (every vendored dataset, whole). Works from any static host or
//                         from a USB stick with `python3 -m http.server`.
//   dist/advlab.html      one self-contained HTML file: the page and the worker bundled by esbuild,
//                         the wasm (base64, compiled once and shared by the worker and the charts),
//                         IRIS and an MNIST subset, all inlined. Opens by double-click from file://
//                         with no network: the worker starts from a Blob URL as a classic script and
//                         datasets travel with the requests (www/env.js). Its Content-Security-Policy
//                         names its one inline script and its one inline style by hash.
//
// The dataset list and file names come from the wasm itself (dataset_names, dataset_files), so the
// build, the worker and the native loader share one list (src/data/sources.rs).
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(repo, 'dist');

// What the single file carries of each dataset: `null` means all of it, a count means the first
// samples of each split; datasets not listed stay on the site only. The shipped models marked
// single_file are inlined too (the site has them all). The file must stay under 9 MB.
const SINGLE_FILE_DATASETS = { iris: null, mnist: { train: 20000, test: 2000 } };
const SIZE_LIMIT = 9_000_000;

const glue = await import(join(repo, 'pkg', 'advlab.js'));
glue.initSync({ module: readFileSync(join(repo, 'pkg', 'advlab_bg.wasm')) });

// ---- the static site ----------------------------------------------------------------------
rmSync(out, { recursive: true, force: true });
cpSync(join(repo, 'www'), out, { recursive: true });
mkdirSync(join(out, 'pkg'));
for (const f of ['advlab.js', 'advlab_bg.wasm']) cpSync(join(repo, 'pkg', f), join(out, 'pkg', f));
for (const name of glue.dataset_names()) {
  for (const file of glue.dataset_files(name)) {
    mkdirSync(dirname(join(out, 'datasets', file)), { recursive: true });
    cpSync(join(repo, 'datasets', file), join(out, 'datasets', file));
  }
}
cpSync(join(repo, 'datasets', 'README.md'), join(out, 'datasets', 'README.md'));
mkdirSync(join(out, 'models'));
const shipped = glue.reference_models();
for (const m of shipped) cpSync(join(repo, 'models', `${m.name}.safetensors`), join(out, 'models', `${m.name}.safetensors`));

// ---- the single file ----------------------------------------------------------------------

// IDX (gzip) → the same file holding only the first `count` items (images or labels).
function idxPrefix(gz, count) {
  const raw = gunzipSync(gz);
  const dims = raw[3];
  const header = 4 + 4 * dims;
  const total = raw.readUInt32BE(4);
  const item = (raw.length - header) / total;
  const n = Math.min(count, total);
  const outBuf = Buffer.alloc(header + n * item);
  raw.copy(outBuf, 0, 0, header);
  outBuf.writeUInt32BE(n, 4);
  raw.copy(outBuf, header, header, header + n * item);
  return { bytes: gzipSync(outBuf, { level: 9 }), n, total };
}

// The inlined files of each dataset, and what the page is told about them.
function inlinedDatasets() {
  const files = [];
  const info = {};
  for (const [name, subset] of Object.entries(SINGLE_FILE_DATASETS)) {
    const names = glue.dataset_files(name);
    if (subset === null) {
      for (const f of names) files.push([f, readFileSync(join(repo, 'datasets', f))]);
      info[name] = { subset: false };
      continue;
    }
    // MNIST-format files: train images, train labels, test images, test labels.
    const counts = [subset.train, subset.train, subset.test, subset.test];
    const parts = names.map((f, i) => ({ f, ...idxPrefix(readFileSync(join(repo, 'datasets', f)), counts[i]) }));
    for (const p of parts) files.push([p.f, p.bytes]);
    info[name] = { subset: true, train: parts[0].n, of_train: parts[0].total, test: parts[2].n, of_test: parts[2].total };
  }
  return { files, info };
}

async function bundle(entry, format) {
  const r = await esbuild.build({
    entryPoints: [join(out, entry)] /* the site's layout: pkg/ beside the modules */, bundle: true, format, minify: true, write: false,
    target: 'es2022', legalComments: 'none', logLevel: 'warning',
    // The wasm-bindgen glue's default-path fallback reads import.meta.url; the worker never takes it.
    logOverride: { 'empty-import-meta': 'silent' },
  });
  const text = r.outputFiles[0].text;
  if (/<\/script/i.test(text)) throw new Error(`${entry}: the bundle contains "</script", which would end its inline block`);
  return text;
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const block = (type, id, text) => `<script type="${type}" id="${id}">${text}</script>`;

const [mainJs, workerJs] = await Promise.all([bundle('main.js', 'esm'), bundle('worker.js', 'iife')]);
const css = readFileSync(join(repo, 'www', 'style.css'), 'utf8');
const wasm = readFileSync(join(repo, 'pkg', 'advlab_bg.wasm'));
const { files, info } = inlinedDatasets();
for (const m of shipped.filter((x) => x.single_file)) {
  const file = `models/${m.name}.safetensors`;
  files.push([file, readFileSync(join(repo, file))]);
}

const policy = [
  "default-src 'none'", `script-src ${sha256(mainJs)} 'wasm-unsafe-eval'`, 'worker-src blob:',
  'img-src data: blob:', `style-src ${sha256(css)}`, "style-src-attr 'unsafe-inline'",
  "connect-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
].join('; ');

let html = readFileSync(join(repo, 'www', 'index.html'), 'utf8');
const replaceOnce = (from, to) => {
  if (!html.includes(from)) throw new Error(`index.html no longer contains ${from}`);
  html = html.replace(from, () => to);
};
html = html.replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, () => `<meta http-equiv="Content-Security-Policy" content="${policy}">`);
if (!html.includes(policy)) throw new Error('index.html has no Content-Security-Policy <meta> tag to replace');
replaceOnce('<link rel="stylesheet" href="./style.css">', `<style>${css}</style>`);
replaceOnce('<script type="module" src="./main.js"></script>', [
  block('application/x-advlab-wasm', 'advlab-wasm', wasm.toString('base64')),
  block('application/x-advlab-worker', 'advlab-worker', workerJs),
  block('application/json', 'advlab-datasets', JSON.stringify(info)),
  ...files.map(([f, bytes]) => block('application/x-advlab-file', `advlab-file:${f}`, bytes.toString('base64'))),
  `<script type="module">${mainJs}</script>`,
].join('\n'));
writeFileSync(join(out, 'advlab.html'), html);

const size = statSync(join(out, 'advlab.html')).size;
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
console.log(`dist/: the static site (serve it with: python3 -m http.server -d dist)`);
console.log(`dist/advlab.html: ${mb(size)} (limit ${mb(SIZE_LIMIT)}): wasm ${mb(wasm.length)}, page ${mb(mainJs.length + css.length)}, worker ${mb(workerJs.length)}`);
console.log(`  models: ${shipped.filter((x) => x.single_file).length} of ${shipped.length} shipped models inlined`);
for (const [name, i] of Object.entries(info)) {
  console.log(`  ${name}: ${i.subset ? `${i.train} of ${i.of_train} training and ${i.test} of ${i.of_test} test samples` : 'all samples'}`);
}
if (size > SIZE_LIMIT) {
  console.error(`error: dist/advlab.html is ${mb(size)}, over the ${mb(SIZE_LIMIT)} limit`);
  process.exit(1);
}
