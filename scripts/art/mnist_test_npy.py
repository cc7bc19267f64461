"""Writes the first N MNIST test images and labels as .npy, as advlab reads them.

x: float32 (N, 28, 28, 1) in [0, 1] (advlab's MNIST layout, NHWC), y: int64 (N,). Read from the
vendored datasets/mnist files, so no download is needed.

    python3 scripts/art/mnist_test_npy.py 200 /tmp/mnist200     # writes x.npy, y.npy there
"""

import gzip
import os
import sys

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "datasets", "mnist")


def read_idx(name):
    with gzip.open(os.path.join(ROOT, name), "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    x = read_idx("t10k-images-idx3-ubyte.gz")[:n].astype(np.float32) / 255.0
    y = read_idx("t10k-labels-idx1-ubyte.gz")[:n].astype(np.int64)
    np.save(os.path.join(out, "x.npy"), x[..., None])
    np.save(os.path.join(out, "y.npy"), y)
    print(f"wrote {n} images to {out}")


if __name__ == "__main__":
    main()
