"""Peer reference numbers for test/clv (scipy + mpmath), frozen into clv_scipy.json.

    /usr/bin/python3 test/reference/clv_scipy.py > test/reference/clv_scipy.json

Note (issue 16): the key `seriesHardCases` was added by running this script and splicing only
that key into the committed JSON. With scipy 1.10.1 / numpy from apt the fitted parameters come
out ~1e-8 relative away from the committed ones (another optimiser build), and the CLV tests
are pinned to the committed fits, so those were left as they were.

Independent of the TypeScript code: the CDNOW calibration summary is rebuilt here with pandas,
the likelihoods are the textbook closed forms (Fader, Hardie & Lee 2005 for BG/NBD; the
2F1-difference form of Fader & Hardie's 2005 Pareto/NBD note, in 50-digit mpmath; Fader &
Hardie 2013 for Gamma-Gamma) and the optimiser is scipy's Nelder-Mead + BFGS.
"""
import json
import numpy as np
import pandas as pd
import mpmath as mp
from scipy.optimize import minimize
from scipy.special import gammaln, betaln, hyp2f1

mp.mp.dps = 50

raw = pd.read_csv("../shared/data/cdnow/CDNOW_sample.txt", sep=r"\s+", header=None,
                  names=["master", "id", "date", "cds", "amount"], dtype={"id": str, "date": str})
raw["day"] = pd.to_datetime(raw["date"], format="%Y%m%d")
cal_end = pd.Timestamp("1997-09-30")
hold_end = pd.Timestamp("1998-06-30")
days = raw.groupby(["id", "day"], as_index=False)["amount"].sum()
first = days.groupby("id")["day"].min()
cal = days[days["day"] <= cal_end]
rows = []
for cid, g in cal.groupby("id"):
    f = first[cid]
    d = g.sort_values("day")
    x = len(d) - 1
    tx = (d["day"].iloc[-1] - f).days / 7
    T = (cal_end - f).days / 7
    m = d["amount"].iloc[1:].mean() if x > 0 else 0.0
    rows.append((cid, x, tx, T, m))
S = pd.DataFrame(rows, columns=["id", "x", "tx", "T", "m"])
hold = days[(days["day"] > cal_end) & (days["day"] <= hold_end)].groupby("id").size()
x = S["x"].to_numpy(float); tx = S["tx"].to_numpy(); T = S["T"].to_numpy(); m = S["m"].to_numpy()

def bg_ll(p):
    r, al, a, b = p
    A1 = gammaln(r + x) - gammaln(r) + r * np.log(al)
    A2 = betaln(a, b + x) - betaln(a, b)
    A3 = -(r + x) * np.log(al + T)
    A4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(al + tx), -np.inf)
    return np.sum(A1 + A2 + np.logaddexp(A3, A4))

def fit(ll, x0):
    f = lambda u: -ll(np.exp(u))
    r1 = minimize(f, np.log(x0), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000, "maxfev": 20000})
    r2 = minimize(f, r1.x, method="BFGS", options={"gtol": 1e-8})
    best = r2 if r2.fun <= r1.fun else r1
    return np.exp(best.x), -best.fun

bg, bg_L = fit(bg_ll, [1, 1, 1, 1])
r, al, a, b = bg
def bg_cond(t, x, tx, T):
    z = t / (al + T + t)
    num = (a + b + x - 1) / (a - 1) * (1 - ((al + T) / (al + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z))
    den = 1 + (x > 0) * (a / (b + x - 1)) * ((al + T) / (al + tx)) ** (r + x)
    return num / den
def bg_pmf(k, t):
    nb = lambda j: np.exp(gammaln(r + j) - gammaln(r) - gammaln(j + 1) + r * np.log(al / (al + t)) + j * np.log(t / (al + t)))
    v = np.exp(betaln(a, b + k) - betaln(a, b)) * nb(k)
    if k > 0:
        v += np.exp(betaln(a + 1, b + k - 1) - betaln(a, b)) * (1 - sum(nb(j) for j in range(k)))
    return v
c1 = S[S["id"] == "0001"].iloc[0]

# Pareto/NBD, 2F1-difference form in 50-digit arithmetic
def pnbd_ll1(p, x, tx, T):
    r, al, s, be = [mp.mpf(v) for v in p]
    x = mp.mpf(x); tx = mp.mpf(tx); T = mp.mpf(T)
    if al >= be:
        F = lambda t: mp.hyp2f1(r + s + x, s + 1, r + s + x + 1, (al - be) / (al + t)) / (al + t) ** (r + s + x)
    else:
        F = lambda t: mp.hyp2f1(r + s + x, r + x, r + s + x + 1, (be - al) / (be + t)) / (be + t) ** (r + s + x)
    A0 = F(tx) - F(T)
    L = mp.gamma(r + x) * al ** r * be ** s / mp.gamma(r) * (1 / ((al + T) ** (r + x) * (be + T) ** s) + s / (r + s + x) * A0)
    return mp.log(L)
U = S.groupby(["x", "tx", "T"]).size().reset_index(name="w")
def pnbd_ll_float(p):
    r, al, s, be = p
    xx, t1, TT, w = U["x"].to_numpy(float), U["tx"].to_numpy(), U["T"].to_numpy(), U["w"].to_numpy()
    if al >= be:
        F = lambda t: hyp2f1(r + s + xx, s + 1, r + s + xx + 1, (al - be) / (al + t)) / (al + t) ** (r + s + xx)
    else:
        F = lambda t: hyp2f1(r + s + xx, r + xx, r + s + xx + 1, (be - al) / (be + t)) / (be + t) ** (r + s + xx)
    A0 = F(t1) - F(TT)
    L = np.exp(gammaln(r + xx) - gammaln(r)) * al ** r * be ** s * (1 / ((al + TT) ** (r + xx) * (be + TT) ** s) + s / (r + s + xx) * A0)
    return float(np.sum(w * np.log(L)))
pn, _ = fit(pnbd_ll_float, [1, 1, 1, 1])
pn_L = float(sum(int(w) * pnbd_ll1(pn, xx, t1, TT) for xx, t1, TT, w in U.itertuples(index=False)))
pn_pub = [0.553, 10.578, 0.606, 11.669]
pn_L_pub = float(sum(int(w) * pnbd_ll1(pn_pub, xx, t1, TT) for xx, t1, TT, w in U.itertuples(index=False)))
def pnbd_palive(p, x, tx, T):
    r, al, s, be = [mp.mpf(v) for v in p]
    x = mp.mpf(x); tx = mp.mpf(tx); T = mp.mpf(T)
    A1 = 1 / ((al + T) ** (r + x) * (be + T) ** s)
    full = mp.exp(pnbd_ll1(p, x, tx, T)) / (mp.gamma(r + x) * al ** r * be ** s / mp.gamma(r))
    return float(A1 / full)
hard = [(1000, 38.0, 39.0), (1000, 1.0, 39.0), (200, 150.0, 400.0), (5000, 9000.0, 10000.0), (3, 0.5, 2000.0), (0, 0.0, 5000.0)]
hard_out = [{"x": h[0], "t_x": h[1], "T": h[2], "logLik": float(pnbd_ll1(pn_pub, *h)), "pAlive": pnbd_palive(pn_pub, *h)} for h in hard]

# The two series hard cases of issue 16 (code review 2.1), by methods other than those of
# numeric_mpmath.py (which sums or integrates the Pareto integral directly and uses the BG/NBD
# expectation at 50 digits): the Pareto/NBD 2F1-difference form above at 80 digits, and the
# BG/NBD E[X(t)] closed form (FHL 2005 eq. 7) with mpmath's hyp2f1 at 80 digits.
def bg_expected_mp(p, t):
    r, al, a, b = [mp.mpf(v) for v in p]
    t = mp.mpf(t)
    return (a + b - 1) / (a - 1) * (1 - (al / (al + t)) ** r * mp.hyp2f1(r, b, a + b - 1, t / (al + t)))
with mp.workdps(80):
    series_hard = [
        {"model": "pareto-nbd", "quantity": "pAlive", "params": {"r": 0.55, "alpha": 0.001, "s": 0.6, "beta": 1e4},
         "x": 3, "t_x": 0.0, "T": 39.0, "value": pnbd_palive([0.55, 0.001, 0.6, 1e4], 3, 0.0, 39.0)},
        {"model": "bg-nbd", "quantity": "expectedPurchases", "params": {"r": 0.5, "alpha": 0.01, "a": 0.8, "b": 2.4},
         "t": 1e6, "value": float(bg_expected_mp([0.5, 0.01, 0.8, 2.4], 1e6))},
    ]

# Gamma-Gamma on repeaters
R = S[S["x"] > 0]
xr = R["x"].to_numpy(float); mr = R["m"].to_numpy()
def gg_ll(p):
    pp, q, v = p
    return np.sum(gammaln(pp * xr + q) - gammaln(pp * xr) - gammaln(q) + q * np.log(v) + (pp * xr - 1) * np.log(mr) + pp * xr * np.log(xr) - (pp * xr + q) * np.log(v + xr * mr))
gg, gg_L = fit(gg_ll, [1, 1, 1])

def se_from_hessian(ll, theta, rel=1e-4):
    """Standard errors: sqrt(diag(inv(-H))), H the central-difference Hessian of the total LL in natural parameters."""
    theta = np.asarray(theta, float); n = len(theta); H = np.zeros((n, n))
    hs = rel * theta
    for i in range(n):
        for j in range(n):
            def f(di, dj):
                t = theta.copy(); t[i] += di; t[j] += dj; return ll(t)
            H[i, j] = (f(hs[i], hs[j]) - f(hs[i], -hs[j]) - f(-hs[i], hs[j]) + f(-hs[i], -hs[j])) / (4 * hs[i] * hs[j])
    return np.sqrt(np.diag(np.linalg.inv(-H))).tolist()

out = {
    "source": "test/reference/clv_scipy.py (scipy %s-style closed forms, mpmath %s)" % ("hyp2f1", mp.__version__),
    "customers": int(len(S)), "repeaters": int(len(R)),
    "calibrationRepeatPurchases": int(S["x"].sum()), "holdoutPurchases": int(hold.reindex(S["id"]).fillna(0).sum()),
    "bgnbd": {"r": bg[0], "alpha": bg[1], "a": bg[2], "b": bg[3], "logLik": bg_L,
              "expected78": float((a + b - 1) / (a - 1) * (1 - (al / (al + 78)) ** r * hyp2f1(r, b, a + b - 1, 78 / (al + 78)))),
              "customer0001cond39": float(bg_cond(39, c1["x"], c1["tx"], c1["T"])),
              "pmf39": [float(bg_pmf(k, 39)) for k in range(6)],
              "standardErrors": se_from_hessian(bg_ll, bg)},
    "paretonbd": {"r": pn[0], "alpha": pn[1], "s": pn[2], "beta": pn[3], "logLik": pn_L, "logLikAtPublished": pn_L_pub,
                  "hardCasesAtPublished": hard_out},
    "gammagamma": {"p": gg[0], "q": gg[1], "gamma": gg[2], "logLik": gg_L, "standardErrors": se_from_hessian(gg_ll, gg)},
    "seriesHardCases": series_hard,
}
print(json.dumps(out, indent=1))
