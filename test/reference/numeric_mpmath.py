#!/usr/bin/python3
"""Reference values for src/numeric (and the CLV series hard cases) from mpmath at 50 digits.

Run: /usr/bin/python3 test/reference/numeric_mpmath.py > test/reference/numeric_mpmath.json
(python3-mpmath and python3-numpy from apt). The JSON is committed so CI needs no Python.
"""
import json
import mpmath as mp
import numpy as np

mp.mp.dps = 50


def f(x):
    return float(x)


def pareto_integral_quad(m, s, alpha, beta, tx, T):
    m, s, alpha, beta, tx, T = map(mp.mpf, (m, s, alpha, beta, tx, T))
    g = lambda tau: (alpha + tau) ** (-m) * (beta + tau) ** (-(s + 1))
    # geometric split towards t_x, where the integrand peaks (width (alpha + t_x)/m)
    pts = sorted(set([tx] + [tx + (T - tx) * mp.mpf(2) ** (-k) for k in range(60)]))
    return mp.quad(g, pts, maxdegree=12)


def pareto_integral_series(m, s, alpha, beta, tx, T):
    """The positive-term series at 50 digits (exact up to its 1e-45 tail); None when too long."""
    m, s, alpha, beta, tx, T = map(mp.mpf, (m, s, alpha, beta, tx, T))
    K, b = (alpha, s + 1) if alpha >= beta else (beta, m)
    z = abs(alpha - beta) / (K + tx)
    q = (K + tx) / (K + T)
    k = m + s
    if (b * z + 60) / (1 - z) > 300000:
        return None
    tot, c, n = mp.mpf(0), mp.mpf(1), 0
    while True:
        term = c * (1 - q ** (k + n)) / (k + n)
        tot += term
        if n > b and term < tot * mp.mpf(10) ** -45:
            break
        c *= (b + n) / (n + 1) * z
        n += 1
    return (K + tx) ** (-k) * tot


def pareto_integral(m, s, alpha, beta, tx, T):
    """The series where it is feasible (checked against the quadrature), else the quadrature."""
    qv = pareto_integral_quad(m, s, alpha, beta, tx, T)
    sv = pareto_integral_series(m, s, alpha, beta, tx, T)
    if sv is None:
        return qv
    # mpmath.quad is good to ~1e-11 on the sharpest peak here (m = 100); the series is exact
    assert abs(sv / qv - 1) < 1e-10, (m, s, alpha, beta, tx, T, sv, qv)
    return sv


def pareto_palive(r, alpha, s, beta, x, tx, T):
    r, alpha, s, beta, x, tx, T = map(mp.mpf, (r, alpha, s, beta, x, tx, T))
    m = r + x
    A1 = (alpha + T) ** (-m) * (beta + T) ** (-s)
    A2 = s * pareto_integral(m, s, alpha, beta, tx, T)
    return A1 / (A1 + A2)


def bg_expected(r, alpha, a, b, t, x=0, T=0):
    """E[Y(t) | x, T, alive] (FHL 2005 eq. 10 without P(alive)); x = T = 0 gives E[X(t)]."""
    r, alpha, a, b, t, x, T = map(mp.mpf, (r, alpha, a, b, t, x, T))
    z = t / (alpha + T + t)
    c = a + b + x - 1
    return c / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * mp.hyp2f1(r + x, b + x, c, z))


out = {"source": "mpmath " + mp.__version__ + " at 50 digits; numpy " + np.__version__, "cases": {}}
C = out["cases"]

# The two hard cases of code-review 2.1 / issue 16
C["pareto_palive_hard"] = {
    "args": {"r": 0.55, "alpha": 0.001, "s": 0.6, "beta": 1e4, "x": 3, "t_x": 0, "T": 39},
    "value": f(pareto_palive(0.55, 0.001, 0.6, 1e4, 3, 0, 39)),
}
C["pareto_log_integral_hard"] = {
    "args": {"m": 3.55, "s": 0.6, "alpha": 0.001, "beta": 1e4, "t_x": 0, "T": 39},
    "value": f(mp.log(pareto_integral(3.55, 0.6, 0.001, 1e4, 0, 39))),
}
C["bgnbd_expected_1e6"] = {
    "args": {"r": 0.5, "alpha": 0.01, "a": 0.8, "b": 2.4, "t": 1e6},
    "value": f(bg_expected(0.5, 0.01, 0.8, 2.4, 1e6)),
}

# More series / quadrature rows: each path (series, quadrature) and both orders of alpha, beta
rows = []
for (m, s, alpha, beta, tx, T) in [
    (3.55, 0.6, 10.6, 11.7, 20, 39),  # CDNOW-like: the series
    (1.5, 0.9, 50, 0.01, 0, 39),  # alpha >> beta: quadrature
    (100.3, 0.6, 0.5, 300, 5, 39),  # big m, alpha < beta: quadrature
    (0.7, 2.0, 1, 3, 0.5, 0.5000001),  # a very short interval
    (25.2, 0.3, 4, 9000, 30, 38),  # z near 1 with t_x > 0
]:
    rows.append({"m": m, "s": s, "alpha": alpha, "beta": beta, "t_x": tx, "T": T, "value": f(mp.log(pareto_integral(m, s, alpha, beta, tx, T)))})
C["pareto_log_integral"] = rows

rows = []
for (r, alpha, a, b, t, x, T) in [
    (0.243, 4.414, 0.793, 2.426, 39, 0, 0),  # CDNOW E[X(39)]
    (0.243, 4.414, 0.793, 2.426, 52, 2, 38.86),
    (0.5, 0.01, 0.8, 2.4, 1e3, 0, 0),  # z = 0.99999: quadrature
    (0.5, 1, 1.7, 0.6, 5e4, 3, 20),  # b + x > 1, a > 1
    (1.2, 2, 0.4, 0.5, 800, 0, 2),  # (1 - p)^(b-1) singular at 1, p^(a-2)
    (0.3, 5, 1.5, 3, 80, 1, 30),  # z = 0.69: series
    # found by a seeded random search: the series cancels (terms 1e19 for a result near 2) or
    # its terms overflow; both now go to the quadrature
    (103.12309175604747, 1, 0.1188238448145113, 0.11435427969838259, 76.22741100761671, 0, 0),
    (4233.629154093497, 1, 8.810568184274008, 0.030462316482809552, 0.25360087311643464, 0, 0),
    (4158.546813209413, 1, 0.05278033432597883, 1.9773641842537493, 172390955.50852737, 0, 0),
]:
    rows.append({"r": r, "alpha": alpha, "a": a, "b": b, "t": t, "x": x, "T": T, "value": f(bg_expected(r, alpha, a, b, t, x, T))})
C["bgnbd_expected"] = rows

rows = []
for (a, b, c, z) in [(1, 1, 2, 0.5), (0.5, 2.4, 3.1, 0.9), (2.5, 1.5, 0.7, -0.4), (1.3, 0.2, 2.2, -3.5), (3, 4, 5, 0.99)]:
    rows.append({"a": a, "b": b, "c": c, "z": z, "value": f(mp.hyp2f1(a, b, c, z))})
C["hyp2f1"] = rows

C["lgamma"] = [{"x": x, "value": f(mp.loggamma(x))} for x in (1e-8, 0.1, 0.5, 1, 1.5, 2, 2.5, 7.3, 14.9, 15.1, 100, 1e6)]
C["digamma"] = [{"x": x, "value": f(mp.digamma(x))} for x in (1e-3, 0.5, 1, 2.5, 9.9, 10, 123.4)]

# exact sums: mpmath's fsum of the doubles, rounded once
rng = np.random.default_rng(7)
vals = list(rng.standard_normal(1000) * 10.0 ** rng.integers(-20, 20, 1000))
C["fsum"] = [
    {"values": [1e100, 1, -1e100, 1e-100], "value": f(mp.fsum([mp.mpf(v) for v in [1e100, 1, -1e100, 1e-100]]))},
    {"values": [0.1] * 10, "value": f(mp.fsum([mp.mpf(0.1)] * 10))},
    {"values": [float(v) for v in vals], "value": f(mp.fsum([mp.mpf(float(v)) for v in vals]))},
]

# R-7 quantiles: numpy's default method (R's type 7)
q = [float(v) for v in rng.standard_normal(101)]
ps = [0, 0.01, 0.07, 0.25, 0.5, 0.9, 0.99, 1]
C["quantile_r7"] = {"values": q, "ps": ps, "quantiles": [float(np.quantile(q, p)) for p in ps], "median": float(np.median(q))}

print(json.dumps(out, indent=1))
