// Where the page's parts come from. The same code runs in three packagings:
// - served from a checkout (`make serve`) or from `dist/` on any static host: the wasm is fetched
//   from pkg/, the worker is the module script worker.js, datasets are fetched from datasets/;
// - the single offline file `dist/advlab.html` (opened from file://, where nothing can be fetched
//   and module workers cannot start): the build inlines the wasm, the worker's code and the
//   datasets as inert <script type="application/x-advlab-..."> blocks, found here by id.
// The wasm is compiled once, on this thread, and the same WebAssembly.Module is posted to the
// worker (and instantiated here for the charts).
const wasmBlock = document.getElementById('advlab-wasm');

// True inside the single offline file.
export const offline = Boolean(wasmBlock);

// Base64 text → bytes (atob is fast enough for a few MB, once).
function decodeBase64(text) {
  const bin = atob(text.trim());
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

// The engine's WebAssembly.Module.
export async function wasmModule() {
  if (wasmBlock) return WebAssembly.compile(decodeBase64(wasmBlock.textContent));
  const res = await fetch(new URL('./pkg/advlab_bg.wasm', import.meta.url));
  if (!res.ok) throw new Error(`could not fetch the engine: HTTP ${res.status}`);
  return WebAssembly.compileStreaming(res);
}

// A new engine worker (not yet booted: see EngineClient).
export function createWorker() {
  const src = document.getElementById('advlab-worker');
  if (src) {
    const url = URL.createObjectURL(new Blob([src.textContent], { type: 'text/javascript' }));
    const worker = new Worker(url);
    URL.revokeObjectURL(url);
    return worker;
  }
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

// The folder the worker fetches dataset files from; null when they are inlined.
export function datasetsBase() {
  return offline ? null : new URL('./datasets/', import.meta.url).href;
}

// The inlined files of a dataset (in `names` order), or null when this packaging has none.
export function inlinedFiles(names) {
  if (!offline) return null;
  const blocks = names.map((n) => document.getElementById(`advlab-file:${n}`));
  if (blocks.some((b) => !b)) return null;
  return blocks.map((b) => decodeBase64(b.textContent));
}

// What the offline file says about a dataset it carries: { train, test, of_train, of_test }, or
// null (not inlined, or not the offline file).
export function inlinedDataset(name) {
  const block = document.getElementById('advlab-datasets');
  if (!block) return null;
  const all = JSON.parse(block.textContent);
  return all[name] || null;
}
