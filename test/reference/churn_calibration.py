"""Reference numbers for the churn calibration (test/churn/calibration.test.ts) from
scikit-learn 1.2 (Debian python3-sklearn): IsotonicRegression(out_of_bounds="clip") and
sklearn.calibration._sigmoid_calibration, the two maps CalibratedClassifierCV fits, on the same
scores, plus brier_score_loss and a tight optimum of Platt's objective (scipy BFGS, gtol 1e-12).

    /usr/bin/python3 test/reference/churn_calibration.py > test/reference/churn_calibration.json

Data: 600 rows from the MINSTD generator (state = state * 48271 mod 2^31 - 1, seed 2024);
score u in [0, 1) rounded to 2 decimals (so many ties), label 1 when a second uniform is below
the distorted probability 0.15 + 0.7 * u^2 (an over-confident score: isotonic and sigmoid must
bend it).
"""
import json, sys
import numpy as np
import sklearn
from scipy.optimize import minimize
from scipy.special import expit, xlogy
from sklearn.calibration import _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import brier_score_loss

state = 2024
def nxt():
    global state
    state = (state * 48271) % 2147483647
    return state / 2147483647

scores, labels = [], []
for _ in range(600):
    u = round(nxt(), 2)
    v = nxt()
    scores.append(u)
    labels.append(1 if v < 0.15 + 0.7 * u * u else 0)
s = np.array(scores); y = np.array(labels)
grid = [-0.5, 0.0, 0.005, 0.123, 0.25, 0.5, 0.777, 0.99, 1.0, 1.5]

iso = IsotonicRegression(out_of_bounds="clip").fit(s, y)
a, b = _sigmoid_calibration(s, y)

# tight optimum of the same objective
n1 = y.sum(); n0 = len(y) - n1
T = np.where(y > 0, (n1 + 1.0) / (n1 + 2.0), 1.0 / (n0 + 2.0))
def obj(ab):
    P = expit(-(ab[0] * s + ab[1]))
    return -(xlogy(T, P) + xlogy(1 - T, 1 - P)).sum()
def grad(ab):
    P = expit(-(ab[0] * s + ab[1]))
    r = T - P
    return np.array([np.dot(r, s), r.sum()])
tight = minimize(obj, [0.0, np.log((n0 + 1.0) / (n1 + 1.0))], jac=grad, method="BFGS", options={"gtol": 1e-12, "maxiter": 10000})

out = {
    "sklearn": sklearn.__version__,
    "scores": scores, "labels": labels, "grid": grid,
    "isotonic": {"x": iso.X_thresholds_.tolist(), "y": iso.y_thresholds_.tolist(),
                 "on_scores": iso.predict(s).tolist(), "on_grid": iso.predict(grid).tolist()},
    "sigmoid": {"a": float(a), "b": float(b), "a_tight": float(tight.x[0]), "b_tight": float(tight.x[1]),
                "on_grid": (1 / (1 + np.exp(a * np.array(grid) + b))).tolist()},
    "brier_raw": brier_score_loss(y, s),
}
json.dump(out, sys.stdout)
