// Chart specs for charts.test.mjs, shaped like what the page will send: MNIST class scores,
// training curves, a robustness curve, and an IRIS decision map with attacks. Plain data only
// (they are passed into the page); typed arrays are made inside the page.

const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const bars = {
  kind: 'bars',
  title: 'Class scores',
  labels: digits,
  series: [
    { name: 'undefended', values: [0.01, 0.0, 0.02, 0.0, 0.0, 0.01, 0.0, 0.93, 0.02, 0.01] },
    { name: 'defended', values: [0.02, 0.0, 0.03, 0.01, 0.0, 0.02, 0.0, 0.88, 0.03, 0.01] },
  ],
};

// Three classes on a small canvas: wide bars, so the values are written above the marked bars.
export const irisBars = {
  kind: 'bars',
  title: 'IRIS scores',
  labels: ['setosa', 'versicolor', 'virginica'],
  series: [
    { name: 'undefended', values: [0.02, 0.35, 0.63] },
    { name: 'defended', values: [0.03, 0.81, 0.16] },
  ],
};

export const training = {
  kind: 'lines',
  title: 'Training',
  x_label: 'epoch',
  y_label: 'loss',
  series: [
    { name: 'train', points: [[1, 0.62], [2, 0.21], [3, 0.14], [4, 0.1], [5, 0.08], [6, 0.065], [7, 0.055], [8, 0.048]] },
    { name: 'test', points: [[1, 0.25], [2, 0.15], [3, 0.11], [4, 0.095], [5, 0.088], [6, 0.084], [7, 0.083], [8, 0.082]], style: 'dashed' },
  ],
};

export const robustness = {
  kind: 'lines',
  title: 'Accuracy under FGSM',
  x_label: 'ε (L∞)',
  y_label: 'accuracy',
  y_range: [0, 1],
  markers: true,
  series: [
    { name: 'undefended', points: [[0, 0.988], [0.05, 0.91], [0.1, 0.62], [0.15, 0.31], [0.2, 0.12], [0.25, 0.05], [0.3, 0.02]] },
    { name: 'defended (FGSM training)', points: [[0, 0.985], [0.05, 0.97], [0.1, 0.94], [0.15, 0.89], [0.2, 0.8], [0.25, 0.66], [0.3, 0.49]], style: 'dashed' },
  ],
};

// A 60×40 grid over petal length × width, classified by two thresholds (row 0 at the bottom).
function irisGrid() {
  const [width, height] = [60, 40];
  const classes = [];
  for (let row = 0; row < height; row++) {
    const y = 0 + (row + 0.5) * (2.6 / height);
    for (let col = 0; col < width; col++) {
      const x = 1 + (col + 0.5) * (6 / width);
      classes.push(x < 2.5 ? 0 : (x < 4.9 && y < 1.7 ? 1 : 2));
    }
  }
  return { width, height, classes };
}

const irisPoints = [
  [1.4, 0.2, 0], [1.3, 0.2, 0], [1.5, 0.4, 0], [1.7, 0.5, 0], [1.6, 0.2, 0], [1.9, 0.4, 0],
  [4.7, 1.4, 1], [4.5, 1.5, 1], [4.0, 1.3, 1], [3.5, 1.0, 1], [4.4, 1.2, 1], [3.9, 1.1, 1],
  [6.0, 2.5, 2], [5.1, 1.9, 2], [5.9, 2.1, 2], [5.6, 1.8, 2], [6.6, 2.1, 2], [5.5, 2.0, 2],
].map(([x, y, c]) => ({ x, y, class: c }));

export const decisionMap = {
  kind: 'decision_map',
  title: 'IRIS: petal length × petal width',
  x_label: 'petal length (cm)',
  y_label: 'petal width (cm)',
  x_range: [1, 7],
  y_range: [0, 2.6],
  class_names: ['setosa', 'versicolor', 'virginica'],
  grid: irisGrid(),
  points: irisPoints,
  arrows: [
    { from: [4.7, 1.4], to: [5.1, 1.75], fooled: true },
    { from: [4.5, 1.5], to: [4.95, 1.55], fooled: true },
    { from: [1.9, 0.4], to: [2.3, 0.7], fooled: false },
    { from: [5.1, 1.9], to: [4.6, 1.5], fooled: true },
    { from: [4.0, 1.3], to: [4.3, 1.5], fooled: false },
  ],
};

export const all = { bars, irisBars, training, robustness, decisionMap };

// CSS sizes other than the default 640×400: a small card, as on a phone.
export const sizes = { irisBars: [340, 240] };
