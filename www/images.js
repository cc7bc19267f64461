// Drawing small images into canvases: grey-level samples (what the model sees) and signed
// perturbations with a diverging blue-white-red colour map. The canvases are 28x28 backing
// stores scaled up by CSS with `image-rendering: pixelated`.

// Grey levels in [lo, hi] → white ink on black, as MNIST is usually shown.
export function drawGray(canvas, values, width, height, [lo, hi] = [0, 1]) {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, (values[i] - lo) / (hi - lo))));
    img.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
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
