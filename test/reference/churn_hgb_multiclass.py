"""Reference numbers for the multi-class booster (test/churn/boosting-multiclass.test.ts) from
scikit-learn's HistGradientBoostingClassifier (Debian python3-sklearn 1.2), on two public
multi-class datasets bundled with scikit-learn (no download): wine (178 x 13, 3 classes) and
digits (1,797 x 64, 10 classes).

Run from the project root (tests never run this; they read the frozen JSON):

    /usr/bin/python3 test/reference/churn_hgb_multiclass.py > test/reference/churn_hgb_multiclass.json

Each case: a stratified 70/30 split (train_test_split(random_state=0, stratify=y)), then
HistGradientBoostingClassifier(random_state=0) with every default except the ones named:
  wine                   defaults (178 rows: early stopping "auto" is off; 100 iterations)
  wine_missing           wine with 15% of the values of columns 0, 3, 6, 9 set to NaN (numpy seed 1)
  digits                 defaults (1,257 training rows: early stopping off)
  digits_categorical     digits with pixels 10, 20, 36 declared categorical (codes 0..16)
  digits_early_stopping  early_stopping=True (10% of the training rows held out, scikit-learn's split)
  digits_5_iterations    max_iter=5 (probabilities at full precision)
Recorded: test accuracy, test multinomial log-loss, iterations, and the test-set class
probabilities (row-major, 6 significant digits); the data and the test rows go with them so the tests need no Python.
"""
import json
import numpy as np
import sklearn
from sklearn.datasets import load_digits, load_wine
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

out = {"sklearn": sklearn.__version__, "cases": {}}
wine = load_wine()
digits = load_digits()
wine_missing = wine.data.copy()
rng = np.random.RandomState(1)
for j in (0, 3, 6, 9):
    wine_missing[rng.rand(len(wine_missing)) < 0.15, j] = np.nan
cases = [
    ("wine", wine.data, wine.target, {}),
    ("wine_missing", wine_missing, wine.target, {}),
    ("digits", digits.data, digits.target, {}),
    ("digits_categorical", digits.data, digits.target, {"categorical_features": [10, 20, 36]}),
    ("digits_early_stopping", digits.data, digits.target, {"early_stopping": True}),
    ("digits_5_iterations", digits.data, digits.target, {"max_iter": 5}),
]
datasets = {}
for name, X, y, kw in cases:
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, test_size=0.3, random_state=0, stratify=y)
    te = np.sort(te)
    train = np.ones(len(y), dtype=bool)
    train[te] = False
    m = HistGradientBoostingClassifier(random_state=0, **kw).fit(X[train], y[train])
    p = m.predict_proba(X[te])
    key = name.split("_")[0] if name != "wine_missing" else "wine_missing"
    datasets[key] = {"X": [[None if np.isnan(v) else (int(v) if v == int(v) else float(v)) for v in r] for r in X], "y": y.tolist()}
    out["cases"][name] = {
        "data": key,
        "options": {k: v for k, v in kw.items()},
        "test": te.tolist(),
        "n_iter": int(m.n_iter_),
        "accuracy": accuracy_score(y[te], p.argmax(1)),
        "log_loss": log_loss(y[te], p, labels=np.arange(p.shape[1])),
        # full precision where the test compares to 1e-12, 6 significant digits elsewhere
        "proba": p.ravel().tolist() if "max_iter" in kw else [float("%.6g" % v) for v in p.ravel()],
    }
out["datasets"] = datasets
print(json.dumps(out, separators=(",", ":")))
