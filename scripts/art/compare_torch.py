"""advlab against ART 1.20 on the same trained mnist-seed weights: the advlab .safetensors model is
rebuilt as a PyTorch module (Keras layouts: conv kernels [kh, kw, in, out], dense kernels
[in, out], NHWC flattening) whose output is the logits, wrapped in ART's PyTorchClassifier, and
every new attack runs on the first MNIST test images in ART and in `advlab attack ... --json`.
Randomness differs (numpy vs ChaCha8), so the comparison is of robust accuracy, success rates,
median L2 and queries, not of tensors.

    /tmp/venv-art/bin/pip install 'adversarial-robustness-toolbox==1.20.1' numpy packaging safetensors torch
    cargo run --release -- train --dataset mnist --arch mnist-seed --out /tmp/mnist-seed.safetensors
    /tmp/venv-art/bin/python scripts/art/mnist_test_npy.py 200 /tmp/mnist200
    /tmp/venv-art/bin/python scripts/art/compare_torch.py target/release/advlab /tmp/mnist-seed.safetensors /tmp/mnist200 [case ...]
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from art.attacks.evasion import (AutoAttack, AutoProjectedGradientDescent, CarliniL2Method,
                                 HopSkipJump, SquareAttack)
from art.estimators.classification import PyTorchClassifier
from safetensors import safe_open


class Float32(torch.nn.Module):
    """Casts the input to float32: ART's HopSkipJump interpolates with 0-d float64 arrays, which
    numpy 2 keeps in float64."""

    def forward(self, x):
        return x.float()


class Nhwc(torch.nn.Module):
    """NCHW activations flattened in advlab's (h, w, c) order."""

    def forward(self, x):
        return x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)


def load_torch(path):
    """The advlab model as a torch module that outputs logits (a final softmax is dropped)."""
    with safe_open(path, "np") as f:
        spec = json.loads(f.metadata()["advlab"])
        tensors = {k: f.get_tensor(k) for k in f.keys()}
    layers, channels = [Float32()], spec["input_shape"][-1]
    act = {"relu": torch.nn.ReLU, "softmax": None, None: None}
    for i, layer in enumerate(spec["layers"]):
        kind = layer["type"]
        if kind == "conv2d":
            k = tensors[f"layers.{i}.kernel"]
            conv = torch.nn.Conv2d(k.shape[2], k.shape[3], k.shape[:2], layer.get("strides", [1, 1]),
                                   padding="same" if layer.get("padding") == "same" else 0)
            conv.weight.data = torch.from_numpy(k.transpose(3, 2, 0, 1).copy())
            conv.bias.data = torch.from_numpy(tensors[f"layers.{i}.bias"].copy())
            layers.append(conv)
            channels = k.shape[3]
        elif kind == "maxpool2d":
            size = layer.get("pool_size", [2, 2])
            layers.append(torch.nn.MaxPool2d(size, layer.get("strides") or size))
        elif kind == "flatten":
            layers.append(Nhwc())
        elif kind == "dense":
            k = tensors[f"layers.{i}.kernel"]
            dense = torch.nn.Linear(k.shape[0], k.shape[1])
            dense.weight.data = torch.from_numpy(k.T.copy())
            dense.bias.data = torch.from_numpy(tensors[f"layers.{i}.bias"].copy())
            layers.append(dense)
        elif kind == "relu":
            layers.append(torch.nn.ReLU())
        elif kind != "softmax":
            raise SystemExit(f"layer {kind} is not supported by this script")
        if act.get(layer.get("activation")) is not None:
            layers.append(act[layer["activation"]]())
    return torch.nn.Sequential(*layers).eval(), channels


def quiet(auto):
    """AutoAttack builds its attacks with progress bars on; turn them off."""
    for attack in auto.attacks:
        attack.verbose = False
    return auto


def cases(clf):
    """(name, ART attack, advlab attack and options, images, ART gets the labels)."""
    return [
        ("cw", "C&W-L2, ART defaults", lambda: CarliniL2Method(clf, batch_size=50, verbose=False),
         ["cw-l2", "--batch-size", "50"], 200, True),
        ("apgd-inf-0.1", "APGD-CE L-inf eps 0.1",
         lambda: AutoProjectedGradientDescent(clf, eps=0.1, eps_step=0.2, max_iter=100, nb_random_init=1,
                                              loss_type="cross_entropy", verbose=False),
         ["apgd", "--eps", "0.1", "--eps-step", "0.2", "--nb-random-init", "1"], 200, True),
        ("apgd-inf-0.3", "APGD-CE L-inf eps 0.3",
         lambda: AutoProjectedGradientDescent(clf, eps=0.3, eps_step=0.6, max_iter=100, nb_random_init=1,
                                              loss_type="cross_entropy", verbose=False),
         ["apgd", "--eps", "0.3", "--eps-step", "0.6", "--nb-random-init", "1"], 200, True),
        ("apgd-l2-1.5", "APGD-CE L2 eps 1.5",
         lambda: AutoProjectedGradientDescent(clf, norm=2, eps=1.5, eps_step=3.0, max_iter=100,
                                              nb_random_init=1, loss_type="cross_entropy", verbose=False),
         ["apgd", "--norm", "2", "--eps", "1.5", "--eps-step", "3", "--nb-random-init", "1"], 200, True),
        ("square", "Square L-inf eps 0.1, 1000 iterations",
         lambda: SquareAttack(clf, eps=0.1, max_iter=1000, verbose=False),
         ["square", "--eps", "0.1", "--max-iter", "1000"], 200, True),
        ("autoattack", "AutoAttack L-inf eps 0.1", lambda: quiet(AutoAttack(clf, eps=0.1, eps_step=0.1)),
         ["autoattack", "--eps", "0.1", "--eps-step", "0.1"], 200, True),
        ("hsj", "HopSkipJump L2, ART defaults", lambda: HopSkipJump(clf, verbose=False),
         ["hopskipjump"], 20, False),
    ]


def measure(predict, x, x_adv, y):
    clean, adv = predict(x), predict(x_adv)
    ok = (clean == y) & (adv != y)
    l2 = np.linalg.norm((x_adv - x).reshape(len(x), -1), axis=1)
    return {"robust_accuracy": float(np.mean(adv == y)),
            "success_rate": float(ok.sum() / max((clean == y).sum(), 1)),
            "l2_median": float(np.median(l2[ok])) if ok.any() else None}


def main():
    binary, model_path, data = sys.argv[1:4]
    only = set(sys.argv[4:])
    torch.manual_seed(0)
    torch.set_num_threads(1)  # advlab's CLI uses one thread too
    np.random.seed(0)
    net, _ = load_torch(model_path)
    x_all = np.load(os.path.join(data, "x.npy")).astype(np.float32)
    y_all = np.load(os.path.join(data, "y.npy"))
    clf = PyTorchClassifier(net, loss=torch.nn.CrossEntropyLoss(), input_shape=(1, 28, 28),
                            nb_classes=10, clip_values=(0.0, 1.0))
    to_nchw = lambda a: np.ascontiguousarray(a.transpose(0, 3, 1, 2))
    predict = lambda a: np.argmax(clf.predict(to_nchw(a), batch_size=256), axis=1)
    with tempfile.TemporaryDirectory() as d:
        scores = os.path.join(d, "s.npy")
        subprocess.run([binary, "predict", "--model", model_path, "--input",
                        os.path.join(data, "x.npy"), "--out", scores], check=True, capture_output=True)
        theirs = np.load(scores)
    logits = clf.predict(to_nchw(x_all), batch_size=256)
    probs = np.exp(logits - logits.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    print(f"torch rebuild vs advlab predict: max |p - p'| = {np.abs(probs - theirs).max():.2e}, "
          f"clean accuracy {np.mean(predict(x_all) == y_all):.3f}\n")
    print("| attack | images | ART robust acc | ART success | ART median L2 | ART s | "
          "advlab robust acc | advlab success | advlab median L2 | advlab s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for key, label, make, ours, n, labels in cases(clf):
        if only and key not in only:
            continue
        x, y = x_all[:n], y_all[:n]
        start = time.time()
        x_adv = make().generate(to_nchw(x), y=np.eye(10)[y] if labels else None)
        art_s = time.time() - start
        art = measure(predict, x, x_adv.transpose(0, 2, 3, 1), y)
        with tempfile.TemporaryDirectory() as d:
            np.save(os.path.join(d, "x.npy"), x)
            np.save(os.path.join(d, "y.npy"), y)
            out = subprocess.run([binary, "attack", *ours, "--model", model_path, "--input",
                                  os.path.join(d, "x.npy"), "--labels", os.path.join(d, "y.npy"),
                                  "--out", os.path.join(d, "a.npy"), "--json"],
                                 check=True, capture_output=True, text=True)
            v = json.loads(out.stdout)
            mine = measure(predict, x, np.load(os.path.join(d, "a.npy")), y)
        fmt = lambda v: "-" if v is None else f"{v:.3f}"
        print(f"| {label} | {n} | {fmt(art['robust_accuracy'])} | {fmt(art['success_rate'])} | "
              f"{fmt(art['l2_median'])} | {art_s:.0f} | {fmt(mine['robust_accuracy'])} | "
              f"{fmt(mine['success_rate'])} | {fmt(mine['l2_median'])} | {v['seconds']:.0f} |",
              flush=True)


if __name__ == "__main__":
    main()
