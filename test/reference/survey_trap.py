# Reference values for src/survey/trap.ts (satisfaction trap) and the isotonic kernel (src/numeric/isotonic.ts).
#
# Run from the repository root with Debian's Python (numpy 1.24, scikit-learn 1.2):
#   /usr/bin/python3 test/reference/survey_trap.py
# Writes test/reference/survey_trap.json.
#
# Independent of the TypeScript code:
# - isotonic regression by scikit-learn's IsotonicRegression (weighted);
# - the two-segment (hinge) fit by brute force: for every admissible breakpoint c an ordinary
#   least-squares fit of y on [1, x, max(0, x - c)] with numpy.linalg.lstsq, the smallest
#   residual sum of squares kept (ties: the lowest c);
# - on mobi, each respondent's 0-100 Satisfaction and Loyalty index computed from plspm's outer
#   weights (test/reference/survey_mobi.json, path scheme), not from our PLS fit.
# Admissible breakpoints (as documented in docs/survey.md): observed x values with at least two
# distinct values and m respondents at or below, and m respondents above, m = max(2, ceil(0.05 n)).
import json
import math

import numpy as np
from sklearn.isotonic import IsotonicRegression


def hinge(x, y):
    order = np.argsort(x, kind="stable")
    x = np.asarray(x, float)[order]
    y = np.asarray(y, float)[order]
    n = len(x)
    m = max(2, math.ceil(0.05 * n))
    values = np.unique(x)
    svv = float(((y - y.mean()) ** 2).sum())
    best = None
    for k, c in enumerate(values):
        below = int((x <= c).sum())
        if k + 1 < 2 or below < m or n - below < m:
            continue
        X = np.column_stack([np.ones(n), x, np.maximum(0.0, x - c)])
        beta, *_ = np.linalg.lstsq(X, y, rcond=None)
        sse = float(((y - X @ beta) ** 2).sum())
        if best is None or sse < best["sse"] - 1e-12 * max(1.0, svv):
            best = {"breakpoint": float(c), "intercept": float(beta[0]), "slopeBelow": float(beta[1]),
                    "slopeAbove": float(beta[1] + beta[2]), "sse": sse}
    line = np.polyfit(x, y, 1)
    best["sseLine"] = float(((y - np.polyval(line, x)) ** 2).sum())
    best["minSegment"] = m
    return best


def levels(x, y, q):
    """Bins of about equal counts by rank (a tied value never split); q = 0: distinct values."""
    order = np.argsort(x, kind="stable")
    x = np.asarray(x, float)[order]
    y = np.asarray(y, float)[order]
    n = len(x)
    starts = [i for i in range(n) if i == 0 or x[i] != x[i - 1]]
    out = []
    last = None
    for g, s in enumerate(starts):
        e = starts[g + 1] if g + 1 < len(starts) else n
        lv = g if q == 0 else (q * s) // n
        if lv != last:
            out.append({"lower": float(x[s]), "upper": float(x[s]), "sx": 0.0, "sy": 0.0, "n": 0})
        last = lv
        cur = out[-1]
        cur["upper"] = float(x[s])
        cur["sx"] += float(x[s:e].sum())
        cur["sy"] += float(y[s:e].sum())
        cur["n"] += e - s
    means = np.array([l["sy"] / l["n"] for l in out])
    weights = np.array([l["n"] for l in out], float)
    iso = IsotonicRegression().fit_transform(np.arange(len(out)), means, sample_weight=weights)
    return [{"lower": l["lower"], "upper": l["upper"], "n": l["n"], "loyalty": l["sy"] / l["n"], "isotonic": float(v)}
            for l, v in zip(out, iso)]


result = {"source": "test/reference/survey_trap.py (numpy %s, scikit-learn)" % np.__version__}

# 1. isotonic regression, weighted, on a seeded random sequence
rng = np.random.default_rng(20261130)
yv = np.round(rng.normal(size=40).cumsum() * 0.3 + rng.normal(size=40), 6)
wv = rng.integers(1, 6, size=40).astype(float)
result["isotonic"] = {"y": yv.tolist(), "w": wv.tolist(),
                      "fit": IsotonicRegression().fit_transform(np.arange(40), yv, sample_weight=wv).tolist()}

# 2. simulated repurchase (0/1) with a known breakpoint at 8 on a 1-10 scale:
#    P(repurchase) = 0.20 + 0.01 (s - 1) up to s = 8, then + 0.25 per point
s = rng.integers(1, 11, size=600)
p = np.where(s <= 8, 0.20 + 0.01 * (s - 1), 0.27 + 0.25 * (s - 8))
loyal = (rng.random(600) < p).astype(float)
sim = hinge(s, loyal)
result["simulated"] = {"truth": 8, "satisfaction": s.astype(int).tolist(), "loyalty": loyal.astype(int).tolist(),
                       "fit": sim, "levels": levels(s, loyal, 0)}

# 3. mobi: per-respondent 0-100 indices from plspm's weights
ref = json.load(open("test/reference/survey_mobi.json"))
w = ref["path"]["weights"]
with open("../shared/data/mobi/mobi.csv") as f:
    head = [h.strip('"') for h in f.readline().strip().split(",")]
    data = np.array([[float(v) for v in line.strip().split(",")] for line in f if line.strip()])
col = {h: data[:, j] for j, h in enumerate(head)}


def index(items):
    u = np.array([w[i] / col[i].std() for i in items])  # std with divisor n, as PLS
    u = u / u.sum()
    return 100 * sum(ui * (col[i] - 1) / 9 for ui, i in zip(u, items))


sat = index(["CUSA1", "CUSA2", "CUSA3"])
loy = index(["CUSL1", "CUSL2", "CUSL3"])
result["mobi"] = {"satisfactionFirst3": sat[:3].tolist(), "loyaltyFirst3": loy[:3].tolist(),
                  "satisfactionMean": float(sat.mean()), "loyaltyMean": float(loy.mean()),
                  "fit": hinge(sat, loy), "levels": levels(sat, loy, 10)}

with open("test/reference/survey_trap.json", "w") as f:
    json.dump(result, f, indent=1)
    f.write("\n")
print(json.dumps({k: v.get("fit") if isinstance(v, dict) else v for k, v in result.items() if k != "isotonic"}, indent=1)[:2000])
