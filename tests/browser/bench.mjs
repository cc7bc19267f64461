// `make bench` (not part of CI): the lab's speed in headless Chromium on this machine, with the
// native CLI measured in the same run as the baseline. Prints one table:
// - time for mnist-seed to reach >= 98% test accuracy in the worker, trained from the page
//   (full MNIST, test accuracy measured after every epoch, stopping at 98%);
// - wasm and native training throughput (examples/s, mnist-seed, batch 64) and their ratio;
// - FGSM over the 10 000 test images and JSMA over 1 000, in the worker;
// - Cancel latency (request to Cancelled event) during training;
// - wasm size raw and gzipped; main-thread tasks longer than 50 ms during training.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startServer, openLab, waitReady, repo } from './harness.mjs';

function nativeThroughput() {
  const bin = join(repo, 'target', 'release', 'advlab');
  execFileSync('cargo', ['build', '--release', '--quiet', '--bin', 'advlab'], { cwd: repo, stdio: 'inherit' });
  const out = execFileSync(bin, ['train', '--dataset', 'mnist', '--arch', 'mnist-seed', '--epochs', '1', '--seed', '0',
    '--out', '/tmp/advlab-bench.safetensors', '--json'], { cwd: repo, encoding: 'utf8' });
  const r = JSON.parse(out);
  return r.train_samples / r.train_seconds;
}

async function trainToTarget(page) {
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });
    window.__rates = [];
    const { engine } = window.advlab;
    let first = null;
    engine.on('Progress', (ev) => {
      if (!ev.train || ev.phase !== 'train') return;
      const now = performance.now();
      if (!first) first = { t: now, n: ev.train.samples_seen };
      else if (ev.train.epoch === 1) window.__rates.push((ev.train.samples_seen - first.n) / ((now - first.t) / 1000));
    });
  });
  await page.selectOption('#train-form select[name=arch]', 'mnist-seed');
  await page.fill('input[name=train_limit]', '60000');
  await page.fill('input[name=epochs]', '8');
  await page.fill('input[name=target]', '98');
  const t0 = Date.now();
  await page.click('#train-btn');
  await page.waitForFunction(() => document.querySelector('.model[data-slot=undefended] .acc').textContent.includes('%'), null, { timeout: 600000 });
  const seconds = (Date.now() - t0) / 1000;
  const acc = parseFloat(await page.textContent('.model[data-slot=undefended] .acc'));
  const info = await page.evaluate(() => window.advlab.lab.models.undefended);
  const { rates, long } = await page.evaluate(() => ({ rates: window.__rates, long: window.__long }));
  return { seconds, acc, epochs: info.epochs, wasmRate: rates.at(-1), longTasks: long.filter((d) => d > 50).length };
}

function timeJob(page, settings) {
  return page.evaluate(async (s) => {
    const t0 = performance.now();
    const { done } = window.advlab.engine.job({ type: 'Attack', settings: s });
    const ev = await done;
    const m = ev.result[s.model];
    return { seconds: (performance.now() - t0) / 1000, n: ev.result.n, acc: m.adversarial_accuracy };
  }, settings);
}

function cancelLatency(page) {
  return page.evaluate(async () => {
    const { engine } = window.advlab;
    const settings = { dataset: 'mnist', arch: 'mnist-seed', epochs: 3, seed: 1 };
    const { done } = engine.job({ type: 'Train', slot: 'defended', settings });
    await new Promise((r) => setTimeout(r, 1500));
    const t0 = performance.now();
    await engine.cancel();
    const ms = performance.now() - t0;
    await done.catch(() => null);
    return ms;
  });
}

const wasm = readFileSync(join(repo, 'pkg', 'advlab_bg.wasm'));
console.log('measuring native training throughput (1 epoch of mnist-seed)…');
const nativeRate = nativeThroughput();
const server = await startServer();
const lab = await openLab(server.url);
try {
  const { page } = lab;
  await waitReady(page);
  await page.selectOption('#train-form select[name=dataset]', 'mnist');
  await page.waitForFunction(() => document.querySelector('#dataset-status').textContent.includes('60000 training'), null, { timeout: 60000 });
  // Each row is printed as soon as it is measured, so a failing step still leaves the others.
  const row = (a, b, c) => console.log(`${a.padEnd(44)}  ${String(b).padStart(12)}  ${c}`);
  row('wasm size raw', `${(wasm.length / 1024).toFixed(0)} KB`, 'aim <= 400 KB');
  row('wasm size gzipped', `${(gzipSync(wasm, { level: 9 }).length / 1024).toFixed(0)} KB`, 'aim <= 150 KB');
  row('training throughput, native', `${nativeRate.toFixed(0)} ex/s`, 'mnist-seed, batch 64, one epoch, same run');
  const train = await trainToTarget(page);
  row('mnist-seed to >= 98% test accuracy (browser)', `${train.seconds.toFixed(1)} s`, `${train.acc}% after ${train.epochs} epochs; need <= 60 s, aim <= 15 s`);
  row('training throughput, wasm', `${train.wasmRate.toFixed(0)} ex/s`, 'first epoch, from progress events');
  row('native / wasm', `${(nativeRate / train.wasmRate).toFixed(2)}x`, 'aim <= 1.5x');
  row('main-thread tasks > 50 ms during training', String(train.longTasks), 'aim 0');
  const fgsm = await timeJob(page, { dataset: 'mnist', model: 'undefended', samples: { kind: 'test', start: 0, count: 10000 }, attack: { attack: 'fgsm', eps: 0.2, batch_size: 256 } });
  row('FGSM, 10 000 test images', `${fgsm.seconds.toFixed(2)} s`, `adv. accuracy ${(fgsm.acc * 100).toFixed(1)}%; aim <= 1 s`);
  const jsma = await timeJob(page, { dataset: 'mnist', model: 'undefended', samples: { kind: 'test', start: 0, count: 1000 }, attack: { attack: 'jsma', theta: 0.2, gamma: 0.1 } });
  row('JSMA, 1 000 test images', `${jsma.seconds.toFixed(2)} s`, `adv. accuracy ${(jsma.acc * 100).toFixed(1)}%; aim <= 10 s`);
  const cancelMs = await cancelLatency(page);
  row('Cancel latency during training', `${cancelMs.toFixed(0)} ms`, 'need <= 200 ms');
  if (lab.errors.length) console.log('console errors:', lab.errors);
} finally {
  await lab.close();
  server.stop();
}
