"""
Independent reference for test/retention/reference.test.ts and test/profitability/reference.test.ts:
acquisition cohort tables, period-to-period retention and the whale curve of customer profit,
computed with pandas from the seeded synthetic log of crm_log.ts, without the library.

Definitions (docs/retention.md, docs/profitability.md): a return line has its amount's sign bit
set (negative, or -0); a customer is active in a period when one of its lines dated in it is not
a return; its cohort is the period of its first such line; asOf = the last day of the log.
Months and quarters are calendar periods, weeks run Monday to Sunday (pandas "W-SUN").
active(c, k), retained(c, k) (active in k-1 and k), alive(c, k) (a purchase in k or later),
revenue(c, k) = sum of the amounts of the cohort's lines dated in period c + k (lines before
the first purchase period go to k = 0). Orders: an order id, else the customer's day; a purchase
order has a non-return line. Line profit = amount - cost; customer profit = fsum(line profits)
- orders x 2.5 - return lines x 4. Whale curve: profits sorted descending (ties by id),
cumulative sums / total profit. ABC (by value, cutoffs 0.8 / 0.95, negatives as zero): a tie
group's class comes from the share of value ranked before it.

Run from the project root:
  npx tsx test/reference/crm_export.ts > /tmp/crm_log.csv
  /usr/bin/python3 test/reference/crm_cohorts.py /tmp/crm_log.csv > test/reference/crm_cohorts.json
(pandas 1.5.3, numpy 1.24.2 were used).
"""
import itertools
import json
import math
import sys

import numpy as np
import pandas as pd

COST_PER_ORDER = 2.5
COST_PER_RETURN_LINE = 4.0

df = pd.read_csv(sys.argv[1], dtype={"customerId": str, "orderId": str, "date": str}, keep_default_na=False)
df["amount"] = df["amount"].astype(float)
df["cost"] = df["cost"].astype(float)
df["day"] = pd.to_datetime(df["date"], format="%Y-%m-%d")
df["isReturn"] = (df["amount"] < 0) | ((df["amount"] == 0) & np.signbit(df["amount"]))
AS_OF = df["day"].max()

FREQ = {"month": "M", "quarter": "Q", "week": "W-SUN"}


def label(p, grain):
    if grain == "month":
        return p.strftime("%Y-%m")
    if grain == "quarter":
        return f"{p.year:04d}-Q{p.quarter}"
    return p.start_time.strftime("%Y-%m-%d")


def cohorts(grain):
    per = df["day"].dt.to_period(FREQ[grain])
    d = df.assign(p=per.array.asi8)
    last = pd.Period(AS_OF, FREQ[grain]).ordinal
    buys = d[~d["isReturn"]]
    first = buys.groupby("customerId")["p"].min()
    lastbuy = buys.groupby("customerId")["p"].max()
    active_sets = buys.groupby("p")["customerId"].agg(lambda s: set(s))
    p0 = int(first.min())
    # period-to-period retention of the base
    periods = []
    for p in range(p0, last + 1):
        act = active_sets.get(p, set())
        prev = active_sets.get(p - 1, set()) if p > p0 else set()
        new = set(first[first == p].index)
        kept = act & prev
        periods.append([label(pd.Period(ordinal=p, freq=FREQ[grain]), grain), len(act), len(prev), len(kept), len(new), len(act) - len(kept) - len(new)])
    # cohort cells
    pairs = buys[["customerId", "p"]].drop_duplicates()
    pairs = pairs.assign(c=pairs["customerId"].map(first))
    pairs["k"] = pairs["p"] - pairs["c"]
    pairset = set(zip(pairs["customerId"], pairs["p"]))
    pairs["prevActive"] = [(cid, p - 1) in pairset for cid, p in zip(pairs["customerId"], pairs["p"])]
    act = pairs.groupby(["c", "k"])["customerId"].nunique()
    ret = pairs[pairs["prevActive"] & (pairs["k"] > 0)].groupby(["c", "k"])["customerId"].nunique()
    withc = d[d["customerId"].isin(first.index)].copy()
    withc["c"] = withc["customerId"].map(first)
    withc["k"] = (withc["p"] - withc["c"]).clip(lower=0)
    rev = withc.groupby(["c", "k"])["amount"].agg(lambda s: math.fsum(s))
    size = first.value_counts()
    lastoff = (lastbuy - first)
    cells = []
    for c in sorted(size.index):
        for k in range(0, last - c + 1):
            alive = int(((first == c) & (lastoff >= k)).sum())
            cells.append([
                label(pd.Period(ordinal=int(c), freq=FREQ[grain]), grain), k,
                label(pd.Period(ordinal=int(c + k), freq=FREQ[grain]), grain),
                int(size[c]), int(act.get((c, k), 0)), int(ret.get((c, k), 0)), alive, float(rev.get((c, k), 0.0)),
            ])
    noc = d[~d["customerId"].isin(first.index)]
    return {
        "cells": cells,
        "periods": periods,
        "customers": int(len(first)),
        "withoutPurchase": int(noc["customerId"].nunique()),
        "revenueWithoutCohort": math.fsum(noc["amount"]),
    }


def abc_counts(values, cutoffs=(0.8, 0.95)):
    v = np.maximum(np.asarray(values, dtype=float), 0.0)
    total = math.fsum(v)
    order = sorted(v[v > 0], reverse=True)
    cls = {}
    before = 0.0
    for value, grp in itertools.groupby(order):
        g = list(grp)
        share = before / total
        cls[value] = "A" if share < cutoffs[0] else "B" if share < cutoffs[1] else "C"
        before += math.fsum(g)
    counts = {"A": 0, "B": 0, "C": 0, "zero": 0}
    for x in v:
        counts["zero" if x <= 0 else cls[x]] += 1
    return [counts["A"], counts["B"], counts["C"], counts["zero"]]


def whale():
    d = df.copy()
    d["profitLine"] = d["amount"] - d["cost"]
    d["orderKey"] = np.where(d["orderId"] != "", "o:" + d["orderId"], "d:" + d["date"])
    orders = d.groupby(["customerId", "orderKey"])["isReturn"].agg(lambda s: bool((~s).any()))
    purchases = orders.groupby("customerId").sum()
    g = d.groupby("customerId")
    ids = sorted(g.groups.keys())
    gross = g["profitLine"].agg(lambda s: math.fsum(s))
    revenue = g["amount"].agg(lambda s: math.fsum(s))
    returns = g["isReturn"].sum()
    profit = {}
    for cid in ids:
        service = math.fsum([int(purchases.get(cid, 0)) * COST_PER_ORDER, int(returns[cid]) * COST_PER_RETURN_LINE])
        profit[cid] = gross[cid] - service
    ranked = sorted(ids, key=lambda c: (-profit[c], c))
    total = math.fsum(profit.values())
    gains = math.fsum(p for p in profit.values() if p > 0)
    losses = math.fsum(-p for p in profit.values() if p < 0)
    cum = [0.0] + [x / total for x in itertools.accumulate(profit[c] for c in ranked)]
    return {
        "ids": ids,
        "profit": [profit[c] for c in ids],
        "revenue": [float(revenue[c]) for c in ids],
        "orders": [int(purchases.get(c, 0)) for c in ids],
        "returnLines": [int(returns[c]) for c in ids],
        "ranked": ranked,
        "cumulative": cum,
        "total": total,
        "gains": gains,
        "losses": losses,
        "profitable": sum(1 for p in profit.values() if p > 0),
        "lossMaking": sum(1 for p in profit.values() if p < 0),
        "peak": gains / total,
        "lossShare": losses / total,
        "abcByProfit": abc_counts([profit[c] for c in ids]),
        "abcByRevenue": abc_counts([revenue[c] for c in ids]),
    }


out = {
    "asOf": AS_OF.strftime("%Y-%m-%d"),
    "rows": int(len(df)),
    "costToServe": {"costPerOrder": COST_PER_ORDER, "costPerReturnLine": COST_PER_RETURN_LINE},
    "cohorts": {g: cohorts(g) for g in ["month", "quarter", "week"]},
    "whale": whale(),
}
json.dump(out, sys.stdout, separators=(",", ":"))
print()
