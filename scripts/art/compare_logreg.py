"""advlab against ART 1.20 on a scikit-learn logistic regression: C&W-L2 and HopSkipJump, the new
attacks ART runs on that estimator (its APGD, AutoAttack and Square need a neural-network
estimator). Randomness differs, so the comparison is of success rates and median norms.

The model is the one tests/fixtures/art/make_fixtures.py fits (3 classes, 6 features in [0, 1]),
with 100 held-out samples instead of 12. Its weights go into an advlab .safetensors file (one
dense layer with softmax), so `advlab attack ... --json` attacks the same model ART does.

    python3 -m venv /tmp/venv-art
    /tmp/venv-art/bin/pip install 'adversarial-robustness-toolbox==1.20.1' scikit-learn numpy packaging safetensors
    cargo build --release
    /tmp/venv-art/bin/python scripts/art/compare_logreg.py target/release/advlab
"""

import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from art.attacks.evasion import CarliniL2Method, HopSkipJump
from art.estimators.classification.scikitlearn import ScikitlearnLogisticRegression
from safetensors.numpy import save_file
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

N_FEATURES, N_CLASSES, N_TEST = 6, 3, 100


def make_model():
    x, y = make_classification(
        n_samples=300 + N_TEST, n_features=N_FEATURES, n_informative=4, n_redundant=1,
        n_classes=N_CLASSES, n_clusters_per_class=1, class_sep=1.0, random_state=7,
    )
    x = ((x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))).astype(np.float32)
    model = LogisticRegression(C=10.0, max_iter=1000).fit(x[:-N_TEST], y[:-N_TEST])
    model.coef_ = model.coef_.astype(np.float32).astype(np.float64)
    model.intercept_ = model.intercept_.astype(np.float32).astype(np.float64)
    return model, x[-N_TEST:], y[-N_TEST:].astype(np.int64)


def save_advlab(model, path):
    spec = {"format": "advlab-model/1", "input_shape": [N_FEATURES], "clip_values": [0.0, 1.0],
            "labels": [f"c{i}" for i in range(N_CLASSES)],
            "layers": [{"type": "dense", "units": N_CLASSES, "activation": "softmax"}]}
    save_file({"layers.0.kernel": model.coef_.T.astype(np.float32).copy(),
               "layers.0.bias": model.intercept_.astype(np.float32)},
              path, metadata={"advlab": json.dumps(spec)})


class Counting(ScikitlearnLogisticRegression):
    """ART's wrapper, counting the samples it is asked to predict (HopSkipJump's queries)."""

    queries = 0

    def predict(self, x, **kwargs):
        Counting.queries += len(x)
        return super().predict(x, **kwargs)


def summary(pred_clean, pred_adv, y, x, x_adv, queries=None):
    ok = (pred_clean == y) & (pred_adv != y)
    l2 = np.linalg.norm((x_adv - x).reshape(len(x), -1), axis=1)
    row = {"success_rate": ok.sum() / max((pred_clean == y).sum(), 1),
           "l2_median": float(np.median(l2[ok])) if ok.any() else None}
    if queries is not None:
        row["queries_mean"] = queries
    return row


def advlab(binary, name, args, x_path, y_path, model_path):
    with tempfile.TemporaryDirectory() as d:
        out = subprocess.run([binary, "attack", name, "--model", model_path, "--input", x_path,
                              "--labels", y_path, "--out", os.path.join(d, "a.npy"), "--json",
                              *args], check=True, capture_output=True, text=True)
    v = json.loads(out.stdout)
    row = {"success_rate": v["metrics"]["success_rate"], "l2_median": v["successful"]["l2_median"]}
    if v["queries"]:
        row["queries_mean"] = v["queries"]["mean"]
    return row


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/advlab"
    np.random.seed(0)
    model, x, y = make_model()
    clf = Counting(model, clip_values=(0.0, 1.0))
    work = tempfile.mkdtemp()
    paths = [os.path.join(work, f) for f in ("lr.safetensors", "x.npy", "y.npy")]
    save_advlab(model, paths[0])
    np.save(paths[1], x)
    np.save(paths[2], y)
    pred = np.argmax(clf.predict(x), axis=1)
    print(f"logistic regression, {N_TEST} samples, clean accuracy {np.mean(pred == y):.3f}\n")
    print("| attack | ART success | ART median L2 | advlab success | advlab median L2 | queries (ART / advlab) |")
    print("|---|---|---|---|---|---|")
    cases = [
        ("C&W-L2, ART defaults", CarliniL2Method(clf, verbose=False), "cw-l2", []),
        ("C&W-L2, max_iter 100", CarliniL2Method(clf, max_iter=100, verbose=False), "cw-l2",
         ["--max-iter", "100"]),
        ("HopSkipJump L2, max_iter 20", HopSkipJump(clf, max_iter=20, verbose=False),
         "hopskipjump", ["--max-iter", "20"]),
        ("HopSkipJump L-inf, max_iter 20", HopSkipJump(clf, norm=np.inf, max_iter=20, verbose=False),
         "hopskipjump", ["--max-iter", "20", "--norm", "inf"]),
    ]
    for label, attack, name, args in cases:
        Counting.queries = 0
        x_adv = attack.generate(x, y=None if name == "hopskipjump" else np.eye(N_CLASSES)[y])
        queries = Counting.queries / N_TEST if name == "hopskipjump" else None
        Counting.queries = 0
        art = summary(pred, np.argmax(clf.predict(x_adv), axis=1), y, x, x_adv, queries)
        ours = advlab(binary, name, args, paths[1], paths[2], paths[0])
        q = (f"{art['queries_mean']:.0f} / {ours['queries_mean']:.0f}"
             if "queries_mean" in art else "-")
        fmt = lambda v: "-" if v is None else f"{v:.3f}"
        print(f"| {label} | {fmt(art['success_rate'])} | {fmt(art['l2_median'])} | "
              f"{fmt(ours['success_rate'])} | {fmt(ours['l2_median'])} | {q} |")


if __name__ == "__main__":
    main()
