// Drawing small images into canvases: grey-level or colour samples (what the model sees), signed
// perturbations of grey images with a diverging blue-white-red colour map, and of colour images
// per channel around mid-grey. The canvases are 28x28 backing
// stores scaled up by CSS with `image-rendering: pixelated`.

// Pixels in [lo, hi], `channels` per pixel (NHWC): grey levels (white ink on black, as MNIST is
// usually shown) or RGB colour.
export function drawGray(canvas, values, width, height, [lo, hi] = [0, 1], channels = 1) {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(width, height);
  const level = (v) => Math.round(255 * Math.min(1, Math.max(0, (v - lo) / (hi - lo))));
  for (let i = 0; i < width * height; i++) {
    const rgb = channels === 3 ? [0, 1, 2].map((c) => level(values[i * 3 + c])) : [level(values[i]), level(values[i]), level(values[i])];
    img.data.set([...rgb, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
}

// A colour image's change, per channel and amplified: mid-grey is unchanged, each channel
// brighter or darker by how much it moved (the largest change reaching 0 or 255). Returns the
// largest change.
export function drawSignedRgb(canvas, delta, width, height) {
  canvas.width = width;
  canvas.height = height;
  let scale = 0;
  for (const d of delta) scale = Math.max(scale, Math.abs(d));
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const rgb = [0, 1, 2].map((c) => Math.round(128 + 127 * (scale > 0 ? delta[i * 3 + c] / scale : 0)));
    img.data.set([...rgb, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  return scale;
}

// One end of the colour map: t in [0, 1] from white to `end`.
function mix(end, tt) {
  return end.map((c) => Math.round(247 + (c - 247) * tt));
}

// delta = adversarial - original. Blue is darker (negative), red is brighter (positive), white is
// unchanged; the scale is symmetric around zero and returned so the page can print it.
export function drawDiverging(canvas, delta, width, height) {
  canvas.width = width;
  canvas.height = height;
  let scale = 0;
  for (const d of delta) scale = Math.max(scale, Math.abs(d));
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(width, height);
  const blue = [33, 102, 172];
  const red = [178, 24, 43];
  for (let i = 0; i < width * height; i++) {
    const tt = scale > 0 ? delta[i] / scale : 0;
    const rgb = tt < 0 ? mix(blue, -tt) : mix(red, tt);
    img.data.set([...rgb, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  return scale;
}

// The alpha channel of a drawing canvas: ink per pixel, as the Drawing request wants it.
export function inkOf(canvas) {
  const { width, height } = canvas;
  const rgba = canvas.getContext('2d', { willReadFrequently: true }).getImageData(0, 0, width, height).data;
  const ink = new Uint8Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4 + 3];
  return { width, height, ink };
}

// A photo as the model's input: centre-cropped to a square, resized by the browser to
// `side` x `side`, as `channels` values per pixel in [0, 1] (grey: the luminance).
export async function photoPixels(file, side, channels) {
  const bitmap = await createImageBitmap(file);
  const s = Math.min(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = side;
  canvas.height = side;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, (bitmap.width - s) / 2, (bitmap.height - s) / 2, s, s, 0, 0, side, side);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, side, side).data;
  const x = new Float32Array(side * side * channels);
  for (let i = 0; i < side * side; i++) {
    const [r, g, b] = [rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]];
    if (channels === 3) x.set([r / 255, g / 255, b / 255], i * 3);
    else x[i] = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
  }
  return x;
}
