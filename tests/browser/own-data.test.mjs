// A dataset of the user's own files in the page: a CIFAR-10 archive made here in the exact binary
// format (a gzipped tar of data_batch_1-5.bin, test_batch.bin and batches.meta.txt) is picked with
// "Load a dataset…", a colour CNN trains on it, a test image and a photo are attacked and shown in
// colour, the report's Table 2 runs on it, and a reload finds the dataset again without asking.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, openLab, waitReady, artifacts } from './harness.mjs';
import { train, attack } from './flows.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

// `n` records of a separable task: label (k + offset) % 10, noise below 64 but for a bright 8x8
// square whose place and channel say the class (as src/data/cifar/synthetic.rs draws them).
function batch(n, offset) {
  const out = new Uint8Array(n * 3073);
  let seed = offset + 1;
  const noise = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % 64; };
  for (let k = 0; k < n; k++) {
    const label = (k + offset) % 10;
    const top = Math.floor(label / 5) * 16 + 4;
    const left = (label % 5) * 6;
    out[k * 3073] = label;
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 1024; p++) {
        const [row, col] = [Math.floor(p / 32), p % 32];
        const inside = row >= top && row < top + 8 && col >= left && col < left + 8;
        out[k * 3073 + 1 + c * 1024 + p] = inside ? (c === label % 3 ? 255 : 0) : noise();
      }
    }
  }
  return out;
}

// A ustar archive of `files` ([name, bytes]).
function tar(files) {
  const blocks = [];
  for (const [name, data] of files) {
    const h = new Uint8Array(512);
    const put = (text, at) => h.set(new TextEncoder().encode(text), at);
    put(name, 0);
    put('0000644\0', 100); put('0000000\0', 108); put('0000000\0', 116);
    put(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    put('00000000000\0', 136);
    put('        ', 148);
    put('0', 156); put('ustar\0', 257); put('00', 263);
    const sum = h.reduce((a, b) => a + b, 0);
    put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  return Buffer.concat(blocks.map((b) => Buffer.from(b)));
}

test('a CIFAR-10 archive picked in the page trains a colour CNN, is attacked in colour, runs Table 2 and survives a reload', { timeout: 360000 }, async () => {
  const names = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin'];
  const files = names.map((n, i) => [`cifar-10-batches-bin/${n}`, batch(n === 'test_batch.bin' ? 20 : 60, i * 3)]);
  files.push(['cifar-10-batches-bin/batches.meta.txt', new TextEncoder().encode('airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n')]);
  const archive = join(artifacts, 'cifar-10-binary.tar.gz');
  writeFileSync(archive, gzipSync(tar(files)));
  const lab = await openLab(server.url);
  const page = lab.page;
  try {
    await waitReady(page);
    await page.waitForFunction(() => /105/.test(document.querySelector('#dataset-status').textContent));
    await page.setInputFiles('#data-file', archive);
    await page.waitForFunction(() => /300 training and 20 test/.test(document.querySelector('#dataset-status').textContent), null, { timeout: 60000 });
    assert.equal(await page.inputValue('#train-form select[name=dataset]'), 'cifar10');
    assert.equal(await page.inputValue('#train-form select[name=arch]'), 'cifar-small');
    await page.fill('#train-form input[name=epochs]', '8');
    const acc = await train(page);
    assert.ok(acc > 50, `accuracy ${acc}% on a separable task (chance 10%)`);
    // A test image, attacked: both images in colour, the drawing hidden.
    assert.ok(await page.locator('#draw').isHidden(), 'no drawing for colour images');
    await page.fill('#attack-form input[name=eps]', '0.1');
    await attack(page);
    const colourful = await page.evaluate(() => {
      const c = document.querySelector('#orig-img');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let coloured = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - d[i + 1]) > 40 || Math.abs(d[i + 1] - d[i + 2]) > 40) coloured++;
      return { coloured, size: [c.width, c.height] };
    });
    assert.deepEqual(colourful.size, [32, 32]);
    assert.ok(colourful.coloured >= 32, `the original is drawn in colour (${colourful.coloured} coloured pixels)`);
    // A photo of the user's (made here: an orange square on blue, 300 x 200) is centre-cropped
    // and resized to 32 x 32 colour, and scored with no true label.
    const photo = join(artifacts, 'photo.png');
    const dataUrl = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 300; c.height = 200;
      const g = c.getContext('2d');
      g.fillStyle = '#1040c0'; g.fillRect(0, 0, 300, 200);
      g.fillStyle = '#f08020'; g.fillRect(100, 50, 100, 100);
      return c.toDataURL('image/png');
    });
    writeFileSync(photo, Buffer.from(dataUrl.split(',')[1], 'base64'));
    await page.setInputFiles('#photo-file', photo);
    await page.waitForFunction(() => /your photo/.test(document.querySelector('#input-label').textContent));
    const seen = await page.evaluate(() => {
      const c = document.querySelector('#seen');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const at = (x, y) => Array.from(d.slice((y * c.width + x) * 4, (y * c.width + x) * 4 + 3));
      return { size: [c.width, c.height], centre: at(16, 16), corner: at(0, 0) };
    });
    assert.deepEqual(seen.size, [32, 32]);
    assert.ok(seen.centre[0] > 200 && seen.centre[2] < 80, `orange in the middle: ${seen.centre}`);
    assert.ok(seen.corner[2] > 150 && seen.corner[0] < 60, `blue at the corner: ${seen.corner}`);
    await attack(page);
    await lab.shot('own-cifar10');
    // The report's Table 2 on this CIFAR-10: offered now, run on the subset (no model is shipped),
    // with the report's figures beside the curves.
    assert.ok(await page.$('#scenario-form select[name=scenario] option[value=table2-cifar10]'), 'Table 2 on CIFAR-10 is offered');
    await page.selectOption('#scenario-form select[name=scenario]', 'table2-cifar10');
    await page.click('#scenario-btn');
    await page.waitForFunction(() => document.querySelectorAll('#curve-table tr').length === 5, null, { timeout: 150000 });
    assert.equal(await page.inputValue('#train-form select[name=arch]'), 'cifar-seed');
    assert.match(await page.textContent('#curve-caption'), /subset/);
    // A reload: the dataset comes back from the browser's storage, selected by the link.
    await page.reload();
    await waitReady(page);
    await page.waitForFunction(() => /300 training and 20 test/.test(document.querySelector('#dataset-status').textContent), null, { timeout: 60000 });
    assert.equal(await page.inputValue('#train-form select[name=dataset]'), 'cifar10');
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});

test('a broken archive is refused with its reason and the lab keeps working', { timeout: 60000 }, async () => {
  const broken = join(artifacts, 'broken-cifar.tar.gz');
  const names = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin'];
  const files = names.map((n, i) => [`cifar-10-batches-bin/${n}`, i === 0 ? batch(2, 0).subarray(0, 100) : batch(2, i)]);
  writeFileSync(broken, gzipSync(tar(files)));
  const lab = await openLab(server.url);
  const page = lab.page;
  try {
    await waitReady(page);
    await page.waitForFunction(() => /105/.test(document.querySelector('#dataset-status').textContent));
    await page.setInputFiles('#data-file', broken);
    await page.waitForFunction(() => /CIFAR-10 records/.test(document.querySelector('[data-error-for=train]').textContent), null, { timeout: 30000 });
    assert.match(await page.textContent('[data-error-for=train]'), /data_batch_1\.bin: 100 bytes/);
    await page.selectOption('#train-form select[name=dataset]', 'iris');
    await page.waitForFunction(() => /105/.test(document.querySelector('#dataset-status').textContent));
    assert.deepEqual(lab.errors, []);
  } finally { await lab.close(); }
});
