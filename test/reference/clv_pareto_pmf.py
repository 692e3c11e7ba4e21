"""Independent reference for the Pareto/NBD conditional pmf P(Y(t) = k | x, t_x, T) (src/clv/paretonbd.ts
`paretoPmf`, src/clv/forecast.ts `conditionalProbabilityOfPurchases`).

    /usr/bin/python3 test/reference/clv_pareto_pmf.py > test/reference/clv_pareto_pmf.json

Run from the project root; Debian's python3-mpmath only. Nothing here uses the closed form of
Fader & Hardie's note 028 (which the library now implements): every value is a direct integral
at 40 significant digits (mpmath tanh-sinh, interval split in 8):

    P(alive at T) = A1 / (A1 + A2), A1 = (alpha+T)^-(r+x) (beta+T)^-s,
                    A2 = s * int_{t_x}^{T} (alpha+u)^-(r+x) (beta+u)^-(s+1) du     (FH 2005 note, eq. 19)
    given alive, with r' = r+x, alpha' = alpha+T, beta' = beta+T:
    P_alive(k) = NB(k; r', alpha'/(alpha'+t)) (beta'/(beta'+t))^s
               + int_0^t NB(k; r', alpha'/(alpha'+u)) s beta'^s (beta'+u)^-(s+1) du   (dropout at u)
    P(Y(t) = k | x, t_x, T) = P(alive) P_alive(k) + (1 - P(alive)) [k = 0].

Rows: the worst rows of the 1M-customer benchmark (docs/benchmarks.md, issue 18: k = 3 at
x = 18, t_x = 24.9, T = 26.1 was off by 1.2e-9 under the old quadrature), the CDNOW customers
of clv_forecast.json at lifetimes' parameters, a parameter set with alpha > beta, a large x, a
short horizon (t = 1, where the published difference S - sum T_i cancels), new customers
(x = t_x = T = 0), k up to 12, x = 300, and t from 1e-6 to 1e4.
"""
import json

import mpmath as mp

mp.mp.dps = 40


def nb(k, r, a, u):
    """NBD(k; r, a/(a+u)) = Gamma(r+k)/(Gamma(r) k!) (a/(a+u))^r (u/(a+u))^k."""
    return mp.exp(mp.loggamma(r + k) - mp.loggamma(r) - mp.loggamma(k + 1)) * (a / (a + u)) ** r * (u / (a + u)) ** k


def quad(f, lo, hi):
    pts = [lo + (hi - lo) * mp.mpf(j) / 8 for j in range(9)]
    return mp.quad(f, pts)


def cond_pmf(par, x, tx, T, t, kmax):
    r, al, s, be = (mp.mpf(v) for v in par)
    x, tx, T, t = mp.mpf(x), mp.mpf(tx), mp.mpf(T), mp.mpf(t)
    a1 = (al + T) ** (-(r + x)) * (be + T) ** (-s)
    a2 = s * quad(lambda u: (al + u) ** (-(r + x)) * (be + u) ** (-(s + 1)), tx, T) if T > tx else mp.mpf(0)
    pa = a1 / (a1 + a2)
    r1, al1, be1 = r + x, al + T, be + T
    out = []
    for k in range(kmax + 1):
        alive = nb(k, r1, al1, t) * (be1 / (be1 + t)) ** s
        dead = quad(lambda u: nb(k, r1, al1, u) * s * be1 ** s * (be1 + u) ** (-(s + 1)), 0, t)
        v = pa * (alive + dead) + (1 - pa) * (1 if k == 0 else 0)
        out.append(v)
    return pa, out


BENCH = [0.503, 10.067, 0.887, 25.347]  # the benchmark's fitted Pareto/NBD, as printed (3 decimals)
with open("test/reference/clv_forecast.json") as f:
    L = json.load(f)["paretonbd"]
CDNOW = [L["r"], L["alpha"], L["s"], L["beta"]]
AGTB = [2.0, 30.0, 0.5, 4.0]  # alpha > beta: the other branch of the closed form

cases = [
    ("bench worst row k = 3", BENCH, 18, 24.9, 26.1, 39, 5),
    ("bench", BENCH, 0, 0, 39.0, 39, 5),
    ("bench", BENCH, 2, 30.43, 38.86, 39, 5),
    ("bench", BENCH, 7, 10.0, 12.0, 39, 8),
    ("bench large x", BENCH, 60, 37.5, 38.0, 39, 5),
    ("bench short horizon", BENCH, 0, 0, 38.0, 1, 6),
    ("bench short horizon", BENCH, 3, 5.0, 38.0, 1, 4),
    ("bench new customer", BENCH, 0, 0, 0, 39, 12),
    ("cdnow 0001", CDNOW, 2, 30.428571428571427, 38.857142857142854, 39, 5),
    ("cdnow 1516", CDNOW, 26, 35.71428571428571, 38.857142857142854, 39, 5),
    ("cdnow", CDNOW, 0, 0, 32.0, 39, 10),
    ("alpha > beta", AGTB, 0, 0, 20.0, 39, 5),
    ("alpha > beta", AGTB, 5, 18.0, 20.0, 39, 5),
    ("alpha > beta", AGTB, 40, 19.5, 20.0, 10, 5),
    ("alpha > beta new customer", AGTB, 0, 0, 0, 52, 8),
    ("bench very large x", BENCH, 300, 39.0, 40.0, 39, 5),
    ("alpha > beta very large x", AGTB, 300, 39.0, 40.0, 39, 5),
    ("bench tiny horizon", BENCH, 5, 20.0, 40.0, 1e-6, 3),
    ("alpha > beta long horizon", AGTB, 5, 20.0, 40.0, 1e4, 5),
]

rows = []
for label, par, x, tx, T, t, kmax in cases:
    pa, pmf = cond_pmf(par, x, tx, T, t, kmax)
    rows.append({"label": label, "params": dict(zip(["r", "alpha", "s", "beta"], par)), "x": x, "t_x": tx, "T": T, "t": t,
                 "pAlive": float(pa), "pmf": [float(v) for v in pmf], "pmf40": [mp.nstr(v, 40) for v in pmf]})

print(json.dumps({"source": "mpmath " + mp.__version__ + ", 40 digits, direct integrals (no closed form)", "cases": rows}, indent=1))
