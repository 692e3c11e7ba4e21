"""Baseline for benchmarks/churn-boosting.bench.ts: scikit-learn's HistGradientBoostingClassifier
(defaults, random_state=0) on the table the benchmark writes to DIR (X.f64 / Xt.f64 row-major
float64, y.u8 / yt.u8 labels, meta.json {n, p, nt, repeat}). Prints JSON: for "auto" (defaults:
early stopping on above 10,000 rows) and "off" (early_stopping=False, 100 trees), the best CPU
(user + system of this process, all OpenMP threads) and wall seconds over `repeat` fits, the
number of trees and the test ROC AUC.

    /usr/bin/python3 test/reference/churn_hgb_bench.py DIR
"""
import json, os, sys, time
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

d = sys.argv[1]
meta = json.load(open(os.path.join(d, "meta.json")))
n, p, nt = meta["n"], meta["p"], meta["nt"]
X = np.fromfile(os.path.join(d, "X.f64"), dtype="<f8").reshape(n, p)
y = np.fromfile(os.path.join(d, "y.u8"), dtype=np.uint8)
Xt = np.fromfile(os.path.join(d, "Xt.f64"), dtype="<f8").reshape(nt, p)
yt = np.fromfile(os.path.join(d, "yt.u8"), dtype=np.uint8)


def cpu():
    t = os.times()
    return t.user + t.system


out = {}
for key, kw in [("auto", {}), ("off", {"early_stopping": False})]:
    best = None
    for _ in range(int(meta.get("repeat", 3))):
        c0, w0 = cpu(), time.perf_counter()
        m = HistGradientBoostingClassifier(random_state=0, **kw).fit(X, y)
        c, w = cpu() - c0, time.perf_counter() - w0
        if best is None or c < best["cpu"]:
            best = {"cpu": c, "wall": w, "n_iter": int(m.n_iter_), "auc": roc_auc_score(yt, m.predict_proba(Xt)[:, 1])}
    out[key] = best
json.dump(out, sys.stdout)
