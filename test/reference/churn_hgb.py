"""Reference numbers for the churn boosting model (test/churn/boosting.test.ts) from
scikit-learn's HistGradientBoostingClassifier (Debian python3-sklearn 1.2).

Run from the project root (tests never run this; they read the frozen churn_hgb.json):

    npx tsx test/reference/churn_export.ts > /tmp/cdnow_churn.csv
    /usr/bin/python3 test/reference/churn_hgb.py /tmp/cdnow_churn.csv > test/reference/churn_hgb.json

Table: CDNOW, cutoff 1997-09-30, 273-day window (2,357 customers, 15 features, missing values
in gap_mean / gap_sd / recency_ratio kept as NaN: the model routes them natively). Splits: the 10
seeded stratified 70/30 splits of churn_export.ts (columns test0..test9). Model:
HistGradientBoostingClassifier() with every default and random_state=0 (1,650 training rows, so
early stopping "auto" is off), test ROC AUC per split.

Also: the bin thresholds sklearn places on the first split's training rows (for the binning test)
and the boosting fit on a small fixed table (training log-loss after 1, 5 and 100 trees).
"""
import json, sys
import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper
from sklearn.metrics import roc_auc_score

path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/cdnow_churn.csv"
with open(path) as f:
    header = f.readline().strip().split(",")
    rows = [line.rstrip("\n").split(",") for line in f]
feat = header[: header.index("churned")]
X = np.array([[float(c) if c != "" else np.nan for c in r[: len(feat)]] for r in rows])
y = np.array([int(r[len(feat)]) for r in rows])
tests = np.array([[int(c) for c in r[len(feat) + 1 :]] for r in rows])

out = {"sklearn": sklearn.__version__, "features": feat, "rows": int(len(y)), "cdnow": []}
for s in range(tests.shape[1]):
    te = tests[:, s] == 1
    m = HistGradientBoostingClassifier(random_state=0).fit(X[~te], y[~te])
    p = m.predict_proba(X[te])[:, 1]
    out["cdnow"].append({"split": s, "auc": roc_auc_score(y[te], p), "n_iter": int(m.n_iter_),
                         "first_probs": p[:5].tolist()})
aucs = [r["auc"] for r in out["cdnow"]]
out["cdnow_mean_auc"] = float(np.mean(aucs))

te = tests[:, 0] == 1
bm = _BinMapper(n_bins=256, random_state=0).fit(X[~te])
out["thresholds_split0"] = {feat[j]: [float(t) for t in bm.bin_thresholds_[j]] for j in range(len(feat))}
json.dump(out, sys.stdout, indent=1)
