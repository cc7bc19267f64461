// Datasets of the user's own files, picked with "Load a dataset…" or dropped on the data panel:
// CIFAR-10 as its authors distribute it (cifar-10-binary.tar.gz, or its batch files
// data_batch_1-5.bin, test_batch.bin and batches.meta.txt) and a .zip of class folders of PNG or
// JPEG images (resized to the image size picked). The worker decodes them (src/session/own_data.rs);
// the page keeps the files (and stores them in the browser where it may) to load them again.
export const OWN_DATASETS = ['cifar10', 'images'];

const CIFAR_ORDER = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin', 'batches.meta.txt'];

// { dataset, files: [Uint8Array] } for the picked `fileList`, the batch files in CIFAR-10's order.
export async function readOwnFiles(fileList) {
  const picked = Array.from(fileList);
  const dataset = picked.some((f) => /\.zip$/i.test(f.name)) ? 'images' : 'cifar10';
  if (dataset === 'cifar10' && picked.length > 1) {
    picked.sort((a, b) => rank(a.name) - rank(b.name));
  }
  const files = await Promise.all(picked.map(async (f) => new Uint8Array(await f.arrayBuffer())));
  return { dataset, files };
}

const rank = (name) => {
  const i = CIFAR_ORDER.indexOf(name.split('/').pop());
  return i < 0 ? CIFAR_ORDER.length : i;
};
