"""Reference optimum for the large-table logistic tests in test/churn/columns.test.ts, from
scikit-learn (Debian python3-sklearn 1.2). Run from the project root (tests read the frozen JSON):

    /usr/bin/python3 test/churn/logistic_sklearn.py > test/churn/logistic_sklearn.json

largeTable() below is reproduced row for row by largeTable() in test/churn/fixtures.ts (MINSTD
generator, integer label rule). Missing values of g are imputed with the column mean, then
StandardScaler and LogisticRegression(C, solver="newton-cg", tol=1e-12): the objective of
trainChurnModel's logistic model with l2 = 1 / C.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler


def large_table(n=40000, seed=2024):
    state = seed

    def nxt():
        nonlocal state
        state = (state * 48271) % 2147483647
        return state

    X = np.empty((n, 8))
    y = np.empty(n, dtype=int)
    for i in range(n):
        ai = nxt() % 1000
        bi = ai // 2 + nxt() % 500
        c = nxt() % 12
        d = nxt() % 2
        ei = nxt() % 10000
        f = c * 3 + nxt() % 7
        g = float("nan") if nxt() % 10 == 0 else nxt() % 300
        h = 1000 + nxt() % 5
        score = 3 * ai - 2 * bi + 150 * c + 600 * d + ei // 10 + (300 if g != g else g)
        y[i] = 1 if score + nxt() % 6000 > 4200 else 0
        X[i] = [ai / 10, bi / 10, c, d, ei / 100 - 50, f, g, h]
    return X, y


X, y = large_table()
X = np.where(np.isnan(X), np.nanmean(X, axis=0), X)
sc = StandardScaler().fit(X)
Z = sc.transform(X)
out = {"sklearn": sklearn.__version__, "n": int(len(y)), "churned": int(y.sum()), "row0": X[0].tolist()}
for name, C in [("C1", 1.0), ("C0.01", 0.01)]:
    m = LogisticRegression(C=C, solver="newton-cg", tol=1e-12, max_iter=10000).fit(Z, y)
    out[name] = {"coef_std": m.coef_[0].tolist(), "intercept_std": float(m.intercept_[0])}
json.dump(out, sys.stdout, indent=1)
print()
