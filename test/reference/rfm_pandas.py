"""
Independent reference for the segmentation tests (test/rfm/reference.test.ts): RFM scores and
segments, Pareto/Gini, ABC classes and the behaviour matrix on the CDNOW sample, computed with
pandas and numpy from the raw file, without the library.

Definitions (docs/segmentation.md): summaries as of 1998-07-01; an order is a customer's day
(the sample has no order ids; every amount is >= 0, so every day is a purchase); frequency =
orders, recencyDays = asOf - last order day, totalSpend = sum of amounts, averageOrderValue =
totalSpend / frequency. Quantile cuts are R type 7 (numpy method="linear") at k/5; score =
1 + cuts strictly below the value (recency reversed); the R `rfm` package rule adds 1 to each
cut and counts cuts at or below. Segment tables are transcribed from the R `rfm` package
(0.2.x, 0.3.x) and the SPEC's grid. Gini = sum_i (2i - n - 1) x_(i) / (n T).

Run: /usr/bin/python3 test/reference/rfm_pandas.py > test/reference/rfm_pandas.json
(numpy 1.24, pandas 1.5 were used).
"""
import json
import math
import sys

import numpy as np
import pandas as pd

PATH = "../shared/data/cdnow/CDNOW_sample.txt"
AS_OF = pd.Timestamp("1998-07-01")

raw = pd.read_csv(PATH, sep=r"\s+", header=None, names=["masterId", "customerId", "date", "cds", "amount"], dtype={"customerId": str, "date": str})
raw["day"] = pd.to_datetime(raw["date"], format="%Y%m%d")
raw = raw[raw["day"] <= AS_OF]
orders = raw.groupby(["customerId", "day"], as_index=False)["amount"].sum()
g = orders.groupby("customerId")
cust = pd.DataFrame({
    "frequency": g.size(),
    "last": g["day"].max(),
    "totalSpend": g["amount"].sum(),
}).sort_index()
cust["recencyDays"] = (AS_OF - cust["last"]).dt.days
cust["averageOrderValue"] = cust["totalSpend"] / cust["frequency"]


def cuts(values, bins=5):
    return [float(x) for x in np.quantile(np.asarray(values, dtype=float), [k / bins for k in range(1, bins)], method="linear")]


def score(values, reverse, compat, bins=5):
    c = np.array(cuts(values, bins)) + (1 if compat else 0)
    v = np.asarray(values, dtype=float)[:, None]
    below = (c[None, :] <= v).sum(axis=1) if compat else (c[None, :] < v).sum(axis=1)
    return (bins - below) if reverse else (below + 1), [float(x) for x in c]


def counts(s, bins=5):
    return [int((s == k).sum()) for k in range(1, bins + 1)]


R = lambda a, b: (a, b)
GRID = [
    ("Champions", R(5, 5), R(4, 5), None), ("Loyal Customers", R(3, 4), R(4, 5), None), ("Potential Loyalists", R(4, 5), R(2, 3), None),
    ("New Customers", R(5, 5), R(1, 1), None), ("Promising", R(4, 4), R(1, 1), None), ("Need Attention", R(3, 3), R(3, 3), None),
    ("About To Sleep", R(3, 3), R(1, 2), None), ("At Risk", R(1, 2), R(3, 4), None), ("Can't Lose Them", R(1, 2), R(5, 5), None),
    ("Hibernating", R(2, 2), R(1, 2), None), ("Hibernating", R(1, 1), R(2, 2), None), ("Lost", R(1, 1), R(1, 1), None),
]
GRID_CLASSIC = GRID[:9] + [("Hibernating", R(1, 2), R(1, 2), None)]
RFM_03 = [
    ("Champions", R(5, 5), R(5, 5), R(5, 5)), ("Potential Loyalist", R(3, 5), R(3, 5), R(2, 5)), ("Loyal Customers", R(2, 4), R(2, 4), R(2, 4)),
    ("Promising", R(3, 4), R(1, 3), R(3, 5)), ("New Customers", R(4, 5), R(1, 3), R(1, 5)), ("Can't Lose Them", R(1, 2), R(3, 4), R(4, 5)),
    ("At Risk", R(1, 2), R(2, 5), R(4, 5)), ("Need Attention", R(1, 3), R(3, 5), R(3, 5)), ("About To Sleep", R(2, 3), R(1, 3), R(1, 4)),
    ("Lost", R(1, 1), R(1, 5), R(1, 5)),
]
RFM_02 = [
    ("Champions", R(4, 5), R(4, 5), R(4, 5)), ("Loyal Customers", R(2, 5), R(3, 5), R(3, 5)), ("Potential Loyalist", R(3, 5), R(1, 3), R(1, 3)),
    ("New Customers", R(4, 5), R(1, 1), R(1, 1)), ("Promising", R(3, 4), R(1, 1), R(1, 1)), ("Need Attention", R(2, 3), R(2, 3), R(2, 3)),
    ("About To Sleep", R(2, 3), R(1, 2), R(1, 2)), ("At Risk", R(1, 2), R(2, 5), R(2, 5)), ("Can't Lose Them", R(1, 1), R(4, 5), R(4, 5)),
    ("Lost", R(1, 2), R(1, 2), R(1, 2)),
]


def segment(r, f, m, rules):
    out = []
    for ri, fi, mi in zip(r, f, m):
        name = "Others"
        for n, rr, fr, mr in rules:
            if rr[0] <= ri <= rr[1] and fr[0] <= fi <= fr[1] and (mr is None or mr[0] <= mi <= mr[1]):
                name = n
                break
        out.append(name)
    return out


def rfm_case(compat, rules, with_cells):
    r, rc = score(cust["recencyDays"], True, compat)
    f, fc = score(cust["frequency"], False, compat)
    m, mc = score(cust["totalSpend"], False, compat)
    seg = pd.Series(segment(r, f, m, rules), index=cust.index)
    out = {
        "thresholds": {"r": rc, "f": fc, "m": mc},
        "scoreCounts": {"r": counts(r), "f": counts(f), "m": counts(m)},
        "segmentCounts": {k: int(v) for k, v in seg.value_counts().sort_index().items()},
        # Per segment: customers, orders (sum of frequency) and revenue (sum of totalSpend).
        "segments": {k: {"count": int((seg == k).sum()), "orders": int(cust["frequency"][seg == k].sum()), "revenue": math.fsum(cust["totalSpend"][seg == k])} for k in sorted(set(seg))},
    }
    if with_cells:
        out["ids"] = list(cust.index)
        out["cells"] = [f"{a}-{b}-{c}" for a, b, c in zip(r, f, m)]
    return out


spend = np.sort(cust["totalSpend"].to_numpy())
n = len(spend)
total = math.fsum(spend)
gini = math.fsum((2 * (i + 1) - n - 1) * x for i, x in enumerate(spend)) / (n * total)
top = math.ceil(0.2 * n)
desc = spend[::-1]


def abc(by):
    """Class from the share (of value, or of customers) held by the customers ranked before; ties share the class of the first."""
    a, b = (0.8, 0.95) if by == "value" else (0.05, 0.2)
    classes = []
    before = 0.0
    i = 0
    while i < n:
        j = i
        while j < n and desc[j] == desc[i]:
            j += 1
        share = before / total if by == "value" else i / n
        cls = "zero" if desc[i] == 0 else ("A" if share < a else "B" if share < b else "C")
        classes += [cls] * (j - i)
        before = math.fsum([before] + list(desc[i:j]))
        i = j
    s = pd.Series(classes)
    return {k: {"count": int((s == k).sum()), "valueShare": math.fsum(desc[(s == k).to_numpy()]) / total} for k in ["A", "B", "C", "zero"]}


def median(x):
    return float(np.median(np.asarray(x, dtype=float)))


tf, ta = median(cust["frequency"]), median(cust["averageOrderValue"])
hf, ha = cust["frequency"] > tf, cust["averageOrderValue"] > ta
quad = {"best": hf & ha, "spenders": ~hf & ha, "frequent": hf & ~ha, "uncertain": ~hf & ~ha}

json.dump({
    "source": "test/reference/rfm_pandas.py (pandas %s, numpy %s) on ../shared/data/cdnow/CDNOW_sample.txt, asOf 1998-07-01" % (pd.__version__, np.__version__),
    "customers": n,
    "rfm": {
        "default/grid": rfm_case(False, GRID, True),
        "rfm-package/grid-classic": rfm_case(True, GRID_CLASSIC, True),
        "rfm-package/rfm-0.3": rfm_case(True, RFM_03, False),
        "rfm-package/rfm-0.2": rfm_case(True, RFM_02, False),
    },
    "pareto": {"gini": gini, "topCount": top, "topShare": math.fsum(desc[:top]) / total, "zeroCount": int((spend == 0).sum())},
    "abc": {"value": abc("value"), "customers": abc("customers")},
    "behavior": {
        "thresholds": {"frequency": tf, "averageOrderValue": ta},
        "quadrants": {q: {"count": int(mask.sum()), "revenueShare": math.fsum(cust["totalSpend"][mask]) / total} for q, mask in quad.items()},
    },
}, sys.stdout, indent=1)
sys.stdout.write("\n")
