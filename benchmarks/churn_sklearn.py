"""Baseline for benchmarks/churn.bench.ts: scikit-learn's LogisticRegression(solver="lbfgs") on
the same seeded table, read from the files the benchmark writes. Run by the benchmark with
Debian's python3-sklearn (/usr/bin/python3); by hand:

    /usr/bin/python3 benchmarks/churn_sklearn.py DIR

DIR holds X.f64 (row-major float64, n x p), y.u8 (0/1 labels) and meta.json ({"n", "p",
"repeat": runs per fit, default 5, "tight": also fit the optimum with newton-cg, default true}).
Prints one JSON object: for each fit, the best CPU (user + sys of this process, BLAS threads
included) and wall seconds over `repeat` runs, iterations, intercept and coefficients on the
standardised scale. Timed: StandardScaler().fit_transform(X) + LogisticRegression(C=1).fit, as
the TypeScript fit standardises inside its timed call.
"""
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

d = sys.argv[1]
meta = json.load(open(os.path.join(d, "meta.json")))
n, p = meta["n"], meta["p"]
X = np.fromfile(os.path.join(d, "X.f64"), dtype="<f8").reshape(n, p)
y = np.fromfile(os.path.join(d, "y.u8"), dtype=np.uint8).astype(np.float64)
repeat = int(meta.get("repeat", 5))


def cpu():
    t = os.times()
    return t.user + t.system


def run(**kw):
    best = None
    for _ in range(repeat):
        c0, w0 = cpu(), time.perf_counter()
        Z = StandardScaler().fit_transform(X)
        m = LogisticRegression(C=1.0, **kw).fit(Z, y)
        c, w = cpu() - c0, time.perf_counter() - w0
        if best is None or c < best["cpu"]:
            best = {"cpu": c, "wall": w, "iterations": int(m.n_iter_[0]),
                    "intercept": float(m.intercept_[0]), "coef": m.coef_[0].tolist()}
    return best


# the baseline: lbfgs with its defaults (tol=1e-4, max_iter=100), what a user gets
out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "default": run(solver="lbfgs")}
if meta.get("tight", True):
    # the optimum itself, for the coefficient check (lbfgs cannot go tighter: its ftol of
    # 64 eps stops it first); newton-cg converges quadratically
    out["tight"] = run(solver="newton-cg", tol=1e-10, max_iter=10000)
json.dump(out, sys.stdout)
print()
