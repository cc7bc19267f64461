import { startServer, openLab, waitReady } from '/work/main/tests/browser/harness.mjs';
const server = await startServer();
const lab = await openLab(server.url);
const { page } = lab;
await waitReady(page);
await page.selectOption('#train-form select[name=dataset]', 'mnist');
await page.waitForFunction(() => document.querySelector('#dataset-status').textContent.includes('60000 training'), null, { timeout: 60000 });
await page.evaluate(() => {
  window.__ev = []; window.__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration, JSON.stringify(e.attribution?.map(a=>a.name+':'+a.containerType))]); }).observe({ type: 'longtask' });
  const { engine } = window.advlab;
  engine.on('Progress', (ev) => { window.__ev.push([performance.now(), ev.phase, ev.train?.epoch, ev.train?.samples_seen, ev.train?.test_accuracy]); });
});
await page.selectOption('#train-form select[name=arch]', 'mnist-seed');
await page.fill('input[name=train_limit]', '60000');
await page.fill('input[name=epochs]', '8');
await page.fill('input[name=target]', '98');
const t0 = await page.evaluate(() => performance.now());
await page.click('#train-btn');
await page.waitForFunction(() => document.querySelector('.model[data-slot=undefended] .acc').textContent.includes('%'), null, { timeout: 600000 });
const t1 = await page.evaluate(() => performance.now());
const { ev, long } = await page.evaluate(() => ({ ev: window.__ev, long: window.__long }));
console.log('total', ((t1 - t0) / 1000).toFixed(2));
let prev = null;
for (const e of ev) { if (!prev || e[1] !== prev[1] || e[2] !== prev[2]) console.log(((e[0] - t0) / 1000).toFixed(2), JSON.stringify(e.slice(1))); prev = e; }
console.log('last', ((ev.at(-1)[0] - t0) / 1000).toFixed(2), JSON.stringify(ev.at(-1).slice(1)), 'events', ev.length);
console.log('long', JSON.stringify(long.map(l => [((l[0]-t0)/1000).toFixed(2), l[1].toFixed(0), l[2]])));
await lab.close(); server.stop();
