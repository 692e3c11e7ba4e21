"""Peer and independent reference values for src/clv/forecast.ts (item 5 of issue 18).

    LIFETIMES_SRC=/path/to/lifetimes-checkout AUTOGRAD_SRC=/path/to/autograd-checkout \
      /usr/bin/python3 test/reference/clv_forecast.py > test/reference/clv_forecast.json

Run from the project root. lifetimes (github CamDavidsonPilon/lifetimes, commit 4f2833f) and
autograd (github HIPS/autograd) from their source trees, with a stub `dill` module (lifetimes
only uses it to pickle models), as in clv_mbgnbd.py. Debian's numpy/scipy/pandas/mpmath.

1. lifetimes on CDNOW (weeks 1-39 calibration): BetaGeoFitter and ParetoNBDFitter fits,
   ParetoNBDFitter.conditional_probability_of_n_purchases_up_to_time (Fader & Hardie's note 028,
   eq. 16) for a few customers, and utils.expected_cumulative_transactions (BG/NBD, days with
   freq_multiplier 7, i.e. weekly model time) with the actual repeat transactions by day.
2. Independent of both libraries, by direct 2-D integration over the posterior of (lambda, p) given
   alive at T (mpmath tanh-sinh, 20 digits):
   BG/NBD and MBG/NBD conditional pmf, P(alive at T+t) survival factor, DERT; Pareto/NBD DERT
   from the published closed form with mpmath's hyperu (30 digits).
"""
import json
import os
import sys
import types

import mpmath as mp
import numpy as np
import pandas as pd

sys.path[:0] = [os.environ.get("LIFETIMES_SRC", "/tmp/helperL"), os.environ.get("AUTOGRAD_SRC", "/tmp/helperL/ag")]
sys.modules.setdefault("dill", types.ModuleType("dill"))
from lifetimes import BetaGeoFitter, ParetoNBDFitter  # noqa: E402
from lifetimes.utils import expected_cumulative_transactions  # noqa: E402

mp.mp.dps = 20
out = {"source": "lifetimes commit 4f2833f (BetaGeoFitter, ParetoNBDFitter, utils.expected_cumulative_transactions) + scipy/mpmath integrals"}

# ---- CDNOW, from the raw log (same-day purchases merged) ----
raw = pd.read_csv("../shared/data/cdnow/CDNOW_sample.txt", sep=r"\s+", header=None,
                  names=["master", "id", "date", "cds", "amount"], dtype={"id": str, "date": str})
raw["day"] = pd.to_datetime(raw["date"], format="%Y%m%d")
days = raw.groupby(["id", "day"], as_index=False)["amount"].sum()
cal_end = pd.Timestamp("1997-09-30")
first = days.groupby("id")["day"].min()
cal = days[days["day"] <= cal_end]
g = cal.groupby("id")["day"]
x = (g.count() - 1).astype(float)
tx = ((g.max() - first) / pd.Timedelta(days=7)).astype(float)
T = ((cal_end - first) / pd.Timedelta(days=7)).astype(float)
bg = BetaGeoFitter().fit(x.values, tx.values, T.values)
pn = ParetoNBDFitter().fit(x.values, tx.values, T.values)
out["bgnbd"] = {k: float(bg.params_[k]) for k in ["r", "alpha", "a", "b"]}
out["paretonbd"] = {k: float(pn.params_[k]) for k in ["r", "alpha", "s", "beta"]}

ids = ["0001", "0002", "0018", "1516"]
rows = []
for cid in ids:
    xi, ti, Ti = float(x[cid]), float(tx[cid]), float(T[cid])
    pmf = [float(pn.conditional_probability_of_n_purchases_up_to_time(k, 39.0, xi, ti, Ti)) for k in range(6)]
    rows.append({"id": cid, "x": xi, "t_x": ti, "T": Ti, "t": 39.0, "paretoPmf": pmf})
out["paretoConditionalPmf"] = rows

# tracking: lifetimes with daily periods, model in weeks (freq_multiplier 7)
tr = days.rename(columns={"day": "date"})[["id", "date"]]
ect = expected_cumulative_transactions(bg, tr, "date", "id", 546, freq="D", freq_multiplier=7)
out["tracking"] = {
    "note": "row i = end of week i (day 7i since 1997-01-01); lifetimes' BG/NBD fit above",
    "firstPurchaseDay": {"values": sorted(set(int(v) for v in ((first - pd.Timestamp('1997-01-01')).dt.days))),
                          "counts": [int(c) for c in ((first - pd.Timestamp('1997-01-01')).dt.days).value_counts().sort_index().values]},
    "predicted": [float(v) for v in ect["predicted"].values],
    "actual": [float(v) for v in ect["actual"].values],
}

# ---- independent integrals ----
def posterior2d(r, alpha, a, b, x, T, g):
    # E[g(lambda, p)] with lambda ~ Gamma(r+x, alpha+T), p ~ Beta(a, b): mpmath tanh-sinh in 2-D
    m, A = mp.mpf(r + x), mp.mpf(alpha + T)
    cl = A ** m / mp.gamma(m)
    cp = 1 / mp.beta(a, b)
    f = lambda l, p: cl * l ** (m - 1) * mp.exp(-A * l) * cp * p ** (a - 1) * (1 - p) ** (b - 1) * g(l, p)
    return float(mp.quad(f, [0, 1 / A, mp.inf], [0, mp.mpf(1) / 2, 1]))

def pois(k, mu):
    return mp.exp(-mu) * mu ** k / mp.factorial(k)

def bg_alive_pmf(r, alpha, a, b, x, T, k, t):
    # k purchases in t: survive each of them, or drop out after the k-th while more were due
    def g(l, p):
        v = (1 - p) ** k * pois(k, l * t)
        if k > 0:
            v += p * (1 - p) ** (k - 1) * (1 - sum(pois(j, l * t) for j in range(k)))
        return v
    return posterior2d(r, alpha, a, b, x, T, g)

def bg_survival(r, alpha, a, b, x, T, t):
    return posterior2d(r, alpha, a, b, x, T, lambda l, p: mp.exp(-l * p * t))

def bg_dert_alive(r, alpha, a, b, x, T, d):
    return posterior2d(r, alpha, a, b, x, T, lambda l, p: l / (d + l * p))

P_BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
P_PN = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
cases = [(0, 0.0, 38.86), (2, 30.43, 38.86), (7, 35.0, 38.0)]
ind = []
for (xi, ti, Ti) in cases:
    r, al, a, b = P_BG["r"], P_BG["alpha"], P_BG["a"], P_BG["b"]
    row = {"x": xi, "t_x": ti, "T": Ti}
    for name, bb in (("bgnbd", b + xi), ("mbgnbd", b + xi + 1)):
        row[name] = {
            "alivePmf39": [bg_alive_pmf(r, al, a, bb, xi, Ti, k, 39.0) for k in range(4)],
            "survival52": bg_survival(r, al, a, bb, xi, Ti, 52.0),
            "dertAlive": bg_dert_alive(r, al, a, bb, xi, Ti, 0.0027),
        }
    s, be = P_PN["s"], P_PN["beta"]
    z = mp.mpf(0.0027) * (be + Ti)
    dert_alive = (P_PN["r"] + xi) / (P_PN["alpha"] + Ti) * (be + Ti) * z ** (s - 1) * mp.hyperu(s, s, z)
    row["paretonbd"] = {"dertAlive": float(dert_alive), "survival52": float(((be + Ti) / (be + Ti + 52)) ** s)}
    ind.append(row)
out["independent"] = {"bgParams": P_BG, "paretoParams": P_PN, "discountRate": 0.0027, "cases": ind}
print(json.dumps(out, indent=1))
