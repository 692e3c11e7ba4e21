"""Reference numbers for the BG/BB and the contractual (sBG, BdW) models, frozen into
clv_bgbb_contractual.json:

    /usr/bin/python3 test/reference/clv_bgbb_contractual.py > test/reference/clv_bgbb_contractual.json

Independent of the TypeScript code: textbook closed forms written here with scipy's betaln,
gammaln and hyp2f1, fitted with scipy (Nelder-Mead then BFGS on log parameters).
- BG/BB: Fader, Hardie & Shang (2010), likelihood eq. (5), E[X(n)] eq. (8), P(X(n) = x) eq. (7),
  P(alive at n+1) eq. (11), conditional expectation eq. (13), on ../shared/data/donations.
- sBG: Fader & Hardie (2007) "How to project customer retention", on the paper's Regular and
  High End cohorts (years 0-7 fitted); DERL: Fader & Hardie (2010), 2F1(1, b+n; a+b+n; 1/(1+d))
  checked against the direct discounted sum of the survival curve.
- BdW: S(t) = B(a, b + t^c) / B(a, b) (Fader, Hardie, Liu, Davin & Steenburgh 2018).
"""
import json
import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, gammaln, hyp2f1, logsumexp


def std_errors(nll, u, h=1e-4):
    """Delta-method standard errors from a central-difference Hessian of the total negative
    log-likelihood in log parameters: se(θ_i) = θ_i sqrt((H^-1)_ii)."""
    k = len(u)
    H = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            e_i = np.eye(k)[i] * h
            e_j = np.eye(k)[j] * h
            H[i, j] = (nll(u + e_i + e_j) - nll(u + e_i - e_j) - nll(u - e_i + e_j) + nll(u - e_i - e_j)) / (4 * h * h)
    return (np.exp(u) * np.sqrt(np.diag(np.linalg.inv(H)))).tolist()


def fit(nll, x0):
    r = minimize(nll, np.log(x0), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 40000, "maxfev": 40000})
    r = minimize(nll, r.x, method="BFGS", options={"gtol": 1e-9})
    return np.exp(r.x), -r.fun


# ---------------------------------------------------------------- BG/BB
D = pd.read_csv("../shared/data/donations/donations.csv")
X, TX, N, W = (D[c].to_numpy(float) for c in ["frequency", "recency", "periods", "weights"])


def bgbb_ll_rows(p, x, tx, n):
    a, b, g, d = p
    out = []
    for xi, ti, ni in zip(x, tx, n):
        terms = [betaln(a + xi, b + ni - xi) - betaln(a, b) + betaln(g, d + ni) - betaln(g, d)]
        for i in range(int(ni - ti)):
            terms.append(betaln(a + xi, b + ti - xi + i) - betaln(a, b) + betaln(g + 1, d + ti + i) - betaln(g, d))
        out.append(logsumexp(terms))
    return np.array(out)


BGBB_NLL = lambda u: -np.sum(W * bgbb_ll_rows(np.exp(u), X, TX, N))  # noqa: E731
P, LL = fit(BGBB_NLL, [1, 1, 1, 1])
a, b, g, d = P


def ex_n(n):  # E[X(n)], eq. (8)
    return a / (a + b) * d / (g - 1) * (1 - np.exp(gammaln(g + d) - gammaln(1 + d) + gammaln(1 + d + n) - gammaln(g + d + n)))


def pmf(x, n):  # P(X(n) = x), eq. (7)
    terms = [np.log(float(__import__("math").comb(n, x))) + betaln(a + x, b + n - x) - betaln(a, b) + betaln(g, d + n) - betaln(g, d)]
    for i in range(n - x):
        terms.append(np.log(float(__import__("math").comb(x + i, x))) + betaln(a + x, b + i) - betaln(a, b) + betaln(g + 1, d + x + i) - betaln(g, d))
    return float(np.exp(logsumexp(terms)))


def cond(x, tx, n, ns):  # eq. (13)
    L = np.exp(bgbb_ll_rows(P, [x], [tx], [n])[0])
    return float(np.exp(betaln(a + x + 1, b + n - x) - betaln(a, b)) * d / (g - 1) * np.exp(gammaln(g + d) - gammaln(1 + d))
                 * (np.exp(gammaln(1 + d + n) - gammaln(g + d + n)) - np.exp(gammaln(1 + d + n + ns) - gammaln(g + d + n + ns))) / L)


def palive(x, tx, n, m):  # eq. (11) for m = 1; alive at opportunity n + m
    L = np.exp(bgbb_ll_rows(P, [x], [tx], [n])[0])
    return float(np.exp(betaln(a + x, b + n - x) - betaln(a, b) + betaln(g, d + n + m) - betaln(g, d)) / L)


bgbb = {
    "params": {"alpha": a, "beta": b, "gamma": g, "delta": d},
    "logLikelihood": LL,
    "standardErrors": dict(zip(["alpha", "beta", "gamma", "delta"], std_errors(BGBB_NLL, np.log(P)))),
    "expectedTransactions": [{"n": n, "value": float(ex_n(n))} for n in [1, 2, 3, 4, 5, 6, 11]],
    "pmf6": [pmf(x, 6) for x in range(7)],
    "rows": [
        {"x": int(x), "t_x": int(t), "n": int(n),
         "pAlive1": palive(x, t, n, 1), "pAlive0": palive(x, t, n, 0),
         "conditional5": cond(x, t, n, 5), "conditional1": cond(x, t, n, 1)}
        for x, t, n in zip(X, TX, N)
    ],
}

# ---------------------------------------------------------------- sBG / BdW
COHORTS = {
    "regular": [1000, 631, 468, 382, 326, 289, 262, 241],
    "highEnd": [1000, 869, 743, 653, 593, 551, 517, 491],
}


def bdw_logS(p, t):
    a, b, c = p
    return betaln(a, b + np.power(t, c)) - betaln(a, b)


def cohort_ll(p, s):
    s = np.asarray(s, float)
    t = np.arange(1, len(s))
    lS = bdw_logS(p, t)
    lSprev = bdw_logS(p, t - 1)
    lP = lSprev + np.log(-np.expm1(lS - lSprev))
    return float(np.sum((s[:-1] - s[1:]) * lP) + s[-1] * lS[-1])


def derl_sbg(al, be, renewals, disc):
    n = renewals + 1
    return float((be + n - 1) / (al + be + n - 1) * hyp2f1(1, be + n, al + be + n, 1 / (1 + disc)))


def derl_sum(p, renewals, disc):
    n = renewals + 1
    t = np.arange(n, n + 4000)
    return float(np.sum(np.exp(bdw_logS(p, t) - bdw_logS(p, n - 1)) * (1 + disc) ** -(t - n)))


contractual = {}
for name, s in COHORTS.items():
    (al, be), ll = fit(lambda u: -cohort_ll([*np.exp(u), 1.0], s), [1, 1])
    pw, llw = fit(lambda u: -cohort_ll(np.exp(u), s), [al, be, 1])
    t12 = np.arange(0, 13)
    contractual[name] = {
        "survivors": s,
        "sbg": {
            "params": {"alpha": al, "beta": be}, "logLikelihood": ll,
            "standardErrors": dict(zip(["alpha", "beta"], std_errors(lambda u: -cohort_ll([*np.exp(u), 1.0], s), np.log([al, be])))),
            "survival": np.exp(bdw_logS([al, be, 1], t12)).tolist(),
            "retention": [float((be + t - 1) / (al + be + t - 1)) for t in range(1, 13)],
            "derl": [{"renewals": k, "discountRate": 0.1, "value": derl_sbg(al, be, k, 0.1), "directSum": derl_sum([al, be, 1], k, 0.1)} for k in [0, 1, 4, 10]],
        },
        "bdw": {"params": {"alpha": pw[0], "beta": pw[1], "c": pw[2]}, "logLikelihood": llw,
                "survival": np.exp(bdw_logS(pw, t12)).tolist(),
                "derl": [{"renewals": k, "discountRate": 0.1, "value": derl_sum(pw, k, 0.1)} for k in [0, 4]]},
    }

print(json.dumps({"bgbb": bgbb, "contractual": contractual}, indent=1))
