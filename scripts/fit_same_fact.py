#!/usr/bin/env python3
"""Refit the same-fact rule of `compare/align.rs` on the MRPC train and validation splits.

    python3 scripts/fit_same_fact.py ../shared/data/mrpc [target/release/parallax]

Needs numpy and scikit-learn (development only; the engine reads the generated Rust table). It runs
`parallax similar` with PARALLAX_SIMILAR_MEASURES=1 to get the rule's measurements of every pair, chooses the
boosting settings and the probability threshold by five-fold cross-validation on train + validation (the test
split is only scored, never used to choose), fits on train + validation, and writes
`crates/parallax-core/src/compare/same_fact_model.rs`. It prints the figures: cross-validated F1, test F1 at
the chosen threshold.
"""
import csv
import os
import subprocess
import sys

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import KFold, cross_val_predict

MEASURES = 14  # the whole-sentence measurements; the 15th (part of a sentence) is not seen on MRPC
OUT = os.path.join(os.path.dirname(__file__), "..", "crates", "parallax-core", "src", "compare", "same_fact_model.rs")


def load(path):
    rows = list(csv.reader(open(path, encoding="utf-8-sig"), delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    return [(f"{os.path.basename(path)}:{i}", r[3], r[4], int(r[0])) for i, r in enumerate(rows) if len(r) >= 5]


def measures(binary, rows):
    text = "".join(f"{i}\t{a}\t{b}\n" for i, a, b, _ in rows)
    env = dict(os.environ, PARALLAX_SIMILAR_MEASURES="1")
    out = subprocess.run([binary, "similar", "--pairs", "-"], input=text, capture_output=True, text=True,
                         env=env, check=True).stdout
    got = {}
    for line in out.splitlines():
        f = line.split("\t")
        got[f[0]] = [float(x) for x in f[3:3 + MEASURES]]
    return np.array([got[i] for i, *_ in rows], dtype=np.float32), np.array([g for *_, g in rows])


def f32(x):
    """The shortest decimal that reads back as the same 32-bit float."""
    return np.format_float_positional(np.float32(x), unique=True, trim="0")


def f1(p, y, t):
    pred = p >= t
    tp = (pred & (y == 1)).sum()
    fp = (pred & (y == 0)).sum()
    fn = (~pred & (y == 1)).sum()
    return 2 * tp / (2 * tp + fp + fn)


def best_threshold(p, y):
    return max((f1(p, y, t / 100), t / 100) for t in range(20, 81))


def main():
    data = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/parallax"
    train = load(f"{data}/msr-para-train.tsv") + load(f"{data}/msr-para-val.tsv")
    xtr, ytr = measures(binary, train)
    xte, yte = measures(binary, load(f"{data}/msr-para-test.tsv"))
    # MRPC holds only pairs that look alike; a story compares every sentence with every other. Pairs of
    # unrelated sentences (the first of one training pair with the second of another) teach the trees that
    # region; they are trained on, never scored.
    rng = np.random.RandomState(0)
    unrelated = []
    for k in range(len(train)):
        i, j = rng.randint(len(train), size=2)
        if i != j:
            unrelated.append((f"unrelated:{k}", train[i][1], train[j][2], 0))
    xun, yun = measures(binary, unrelated)
    real = len(ytr)
    xtr, ytr = np.vstack([xtr, xun]), np.concatenate([ytr, yun])
    folds = KFold(5, shuffle=True, random_state=0)
    best = None
    for n, depth, rate in [(100, 2, 0.1), (100, 3, 0.05), (150, 3, 0.05), (100, 4, 0.05)]:
        model = GradientBoostingClassifier(n_estimators=n, max_depth=depth, learning_rate=rate, subsample=0.8,
                                           random_state=0)
        oof = cross_val_predict(model, xtr, ytr, cv=folds, method="predict_proba")[:, 1]
        score, t = best_threshold(oof[:real], ytr[:real])
        print(f"trees {n} depth {depth} rate {rate}: cross-validated F1 {score:.4f} at {t:.2f}")
        if best is None or score > best[0]:
            best = (score, t, model)
    score, t, model = best
    model.fit(xtr, ytr)
    p = model.predict_proba(xte)[:, 1]
    print(f"chosen: {model.n_estimators} trees, depth {model.max_depth}, rate {model.learning_rate}, threshold {t:.2f}")
    print(f"cross-validated F1 {score:.4f}; test F1 {f1(p, yte, t):.4f}")

    rate = model.learning_rate
    roots, nodes = [], []
    for est in model.estimators_[:, 0]:
        tree = est.tree_
        base = len(nodes)
        roots.append(base)
        for k in range(tree.node_count):
            left, right = tree.children_left[k], tree.children_right[k]
            if left == -1:
                nodes.append((255, float(tree.value[k][0][0]) * rate, 0, 0))
            else:
                nodes.append((int(tree.feature[k]), float(tree.threshold[k]), base + left, base + right))
    zero = np.zeros((1, MEASURES), dtype=np.float32)
    init = float(model.decision_function(zero)[0]) - sum(
        float(e.predict(zero)[0]) * rate for e in model.estimators_[:, 0])
    with open(OUT, "w") as f:
        f.write("//! The same-fact rule's trees, written by `scripts/fit_same_fact.py` (do not edit by hand): gradient-\n")
        f.write(f"//! boosted trees over the measurements of `align::measures`, fitted on the MRPC train and validation\n")
        f.write(f"//! splits ({model.n_estimators} trees of depth {model.max_depth}, rate {rate}; cross-validated F1 {score:.4f}).\n\n")
        f.write(f"/// Log-odds before any tree.\npub(super) const BASE: f32 = {f32(init)};\n")
        f.write(f"/// Probability at or above which two sentences state the same fact (cross-validated).\n")
        f.write(f"pub(super) const THRESHOLD: f32 = {t};\n")
        f.write(f"/// First node of each tree.\npub(super) const ROOTS: [u16; {len(roots)}] = {roots};\n")
        f.write("/// Nodes: (measure, split, left, right); a leaf has measure 255 and its log-odds in place of the split.\n")
        f.write(f"pub(super) static NODES: [(u8, f32, u16, u16); {len(nodes)}] = [\n")
        for feat, thr, left, right in nodes:
            f.write(f"    ({feat}, {f32(thr)}, {left}, {right}),\n")
        f.write("];\n")
    print(f"wrote {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
