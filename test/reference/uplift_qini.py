"""Reference values for src/uplift/curves.ts: a small numpy reimplementation of scikit-uplift's
(sklift 0.5) metric formulas: uplift_curve, qini_curve, perfect_uplift_curve,
perfect_qini_curve(negative_effect=True), uplift_auc_score, qini_auc_score.

scikit-uplift itself cannot be installed here (PyPI is not reachable, only npm and Debian's
packages; `apt-cache search uplift` finds nothing), so
the formulas are re-stated from its documented definitions and written out independently:
sort by descending score (mergesort, reversed), one point at the end of every block of tied
scores, curve starting at (0, 0), trapezoidal areas, normalised area
(auc - baseline) / (auc_perfect - baseline) with the baseline the line from (0, 0) to the
perfect curve's last point.

Run: /usr/bin/python3 test/reference/uplift_qini.py > test/reference/uplift_qini.json
"""
import json

import numpy as np


def _cumulative(y, score, t):
    order = np.argsort(score, kind="mergesort")[::-1]
    y, score, t = y[order], score[order], t[order]
    y_t = np.where(t == 1, y, 0)
    y_c = np.where(t == 0, y, 0)
    ends = np.r_[np.where(np.diff(score))[0], score.size - 1]
    n_t = np.cumsum(t)[ends].astype(float)
    n_all = (ends + 1).astype(float)
    return n_all, n_t, np.cumsum(y_t)[ends].astype(float), np.cumsum(y_c)[ends].astype(float)


def uplift_curve(y, score, t):
    n_all, n_t, yt, yc = _cumulative(y, score, t)
    n_c = n_all - n_t
    rt = np.divide(yt, n_t, out=np.zeros_like(yt), where=n_t != 0)
    rc = np.divide(yc, n_c, out=np.zeros_like(yc), where=n_c != 0)
    return np.r_[0.0, n_all], np.r_[0.0, (rt - rc) * n_all]


def qini_curve(y, score, t):
    n_all, n_t, yt, yc = _cumulative(y, score, t)
    n_c = n_all - n_t
    ratio = np.divide(n_t, n_c, out=np.zeros_like(n_t), where=n_c != 0)
    return np.r_[0.0, n_all], np.r_[0.0, yt - yc * ratio]


def perfect_uplift_curve(y, t):
    cr = np.sum((y == 1) & (t == 0))
    tn = np.sum((y == 0) & (t == 1))
    summand = y if cr > tn else t
    return uplift_curve(y, (2 * (y == t) + summand).astype(float), t)


def perfect_qini_curve(y, t):
    return qini_curve(y, (y * t - y * (1 - t)).astype(float), t)


def area(x, v):
    return float(np.sum(np.diff(x) * (v[1:] + v[:-1]) / 2))


def normalised(curve, perfect):
    x, v = curve
    px, pv = perfect
    base = area(np.array([0.0, px[-1]]), np.array([0.0, pv[-1]]))
    return (area(x, v) - base) / (area(px, pv) - base)


def case(name, y, score, t):
    y, score, t = np.asarray(y, dtype=int), np.asarray(score, dtype=float), np.asarray(t, dtype=int)
    uc, qc = uplift_curve(y, score, t), qini_curve(y, score, t)
    pu, pq = perfect_uplift_curve(y, t), perfect_qini_curve(y, t)
    return {
        "name": name,
        "outcome": y.tolist(),
        "score": score.tolist(),
        "treatment": t.tolist(),
        "upliftCurve": {"targeted": uc[0].tolist(), "value": uc[1].tolist()},
        "qiniCurve": {"targeted": qc[0].tolist(), "value": qc[1].tolist()},
        "perfectUpliftCurve": {"targeted": pu[0].tolist(), "value": pu[1].tolist()},
        "perfectQiniCurve": {"targeted": pq[0].tolist(), "value": pq[1].tolist()},
        "upliftArea": area(*uc),
        "qiniArea": area(*qc),
        "upliftAucScore": normalised(uc, pu),
        "qiniAucScore": normalised(qc, pq),
    }


rng = np.random.default_rng(2012)
cases = [case("tiny", [1, 0, 0, 1], [0.9, 0.5, 0.3, 0.1], [1, 0, 1, 0])]
# ties everywhere: scores on a grid of 5 values
n = 40
cases.append(case("ties", rng.integers(0, 2, n), np.round(rng.integers(0, 5, n) * 0.25 - 0.5, 2), rng.integers(0, 2, n)))
# unequal groups (30% treated) with an effect that the score partly sees
n = 300
x = rng.random(n)
t = (rng.random(n) < 0.3).astype(int)
p = 0.3 + 0.3 * x * t
y = (rng.random(n) < p).astype(int)
cases.append(case("unequal", y, x + 0.3 * rng.random(n), t))
# more control responders than treated non-responders (the other branch of the perfect uplift curve)
n = 60
t = (rng.random(n) < 0.5).astype(int)
y = (rng.random(n) < np.where(t == 1, 0.9, 0.6)).astype(int)
cases.append(case("many control responders", y, rng.random(n), t))
print(json.dumps({"source": "numpy reimplementation of scikit-uplift 0.5 metrics (test/reference/uplift_qini.py)", "numpy": np.__version__, "cases": cases}, indent=1))
