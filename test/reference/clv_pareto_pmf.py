"""Independent reference for the Pareto/NBD conditional pmf P(Y(t) = k | x, t_x, T) (src/clv/paretonbd.ts
`paretoPmf`, src/clv/forecast.ts `conditionalProbabilityOfPurchases`).

    /usr/bin/python3 test/reference/clv_pareto_pmf.py > test/reference/clv_pareto_pmf.json

Run from the project root; Debian's python3-mpmath only (takes about a minute).

The pmf: nothing here uses the closed form of Fader & Hardie's note 028 (which the library now
implements): the part given alive is a direct integral at 40 significant digits (mpmath
tanh-sinh, interval split in 8). P(alive) is the likelihood's published closed form (FH 2005
note, eq. 19-22; the library sums a series instead) at 100 digits, where the difference of the
two 2F1 terms loses nothing that matters; a direct integral of A2 was ~1e-12 off at x = 300
(the integrand peaks at t_x, width (alpha+t_x)/(r+x)):

    P(alive at T) = A1 / (A1 + A2), A1 = (alpha+T)^-(r+x) (beta+T)^-s,
                    A2 = s * int_{t_x}^{T} (alpha+u)^-(r+x) (beta+u)^-(s+1) du     (FH 2005 note, eq. 19)
                       = s/k [F(t_x) - F(T)], k = r+x+s,
                    F(u) = 2F1(k, s+1; k+1; (alpha-beta)/(alpha+u)) / (alpha+u)^k    (alpha >= beta)
                    F(u) = 2F1(k, r+x; k+1; (beta-alpha)/(beta+u)) / (beta+u)^k      (alpha < beta)
    given alive, with r' = r+x, alpha' = alpha+T, beta' = beta+T:
    P_alive(k) = NB(k; r', alpha'/(alpha'+t)) (beta'/(beta'+t))^s
               + int_0^t NB(k; r', alpha'/(alpha'+u)) s beta'^s (beta'+u)^-(s+1) du   (dropout at u)
    P(Y(t) = k | x, t_x, T) = P(alive) P_alive(k) + (1 - P(alive)) [k = 0].

Rows ("cases", pmf): the worst rows of the 1M-customer benchmark (docs/benchmarks.md, issue 18: k = 3 at
x = 18, t_x = 24.9, T = 26.1 was off by 1.2e-9 under the old quadrature), the CDNOW customers
of clv_forecast.json at lifetimes' parameters, a parameter set with alpha > beta, a large x, a
short horizon (t = 1, where the published difference S - sum T_i cancels), new customers
(x = t_x = T = 0), k up to 12, x = 300, and t from 1e-6 to 1e4.
Rows ("pAlive", P(alive) only): x = 300, 1000 and 5000 with T - t_x from 1e-7 to 1 (P(alive)
from 1 - 1e-5 down to 1e-40) under alpha < beta and alpha > beta, ordinary rows, and rows where
min(alpha, beta) is far below the other (the library integrates there).
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


def p_alive(par, x, tx, T):
    """P(alive at T) from the closed form at 100 digits (the arguments are the doubles the library sees)."""
    with mp.workdps(100):
        r, al, s, be = (mp.mpf(v) for v in par)
        x, tx, T = mp.mpf(x), mp.mpf(tx), mp.mpf(T)
        if not T > tx:
            return mp.mpf(1)
        m = r + x
        k = m + s
        if al >= be:
            F = lambda u: mp.hyp2f1(k, s + 1, k + 1, (al - be) / (al + u)) / (al + u) ** k
        else:
            F = lambda u: mp.hyp2f1(k, m, k + 1, (be - al) / (be + u)) / (be + u) ** k
        a1 = (al + T) ** (-m) * (be + T) ** (-s)
        a2 = s * (F(tx) - F(T)) / k
        return +(a1 / (a1 + a2))


def cond_pmf(par, x, tx, T, t, kmax):
    r, al, s, be = (mp.mpf(v) for v in par)
    pa = p_alive(par, x, tx, T)
    x, tx, T, t = mp.mpf(x), mp.mpf(tx), mp.mpf(T), mp.mpf(t)
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

TINY_A = [0.55, 0.001, 0.6, 1e4]  # the review's case: min(alpha, beta) 1e-7 of the other
TINY_B = [0.55, 1e4, 0.6, 0.001]
alive_cases = [("ordinary", BENCH, 0, 0, 39.0), ("ordinary", BENCH, 2, 30.43, 38.86), ("ordinary", BENCH, 7, 10.0, 12.0),
               ("ordinary", BENCH, 18, 24.9, 26.1), ("ordinary", CDNOW, 26, 35.71428571428571, 38.857142857142854),
               ("ordinary", AGTB, 0, 0, 20.0), ("ordinary", AGTB, 5, 18.0, 20.0), ("ordinary", AGTB, 40, 19.5, 20.0),
               ("tiny alpha", TINY_A, 3, 0, 39.0), ("tiny alpha", TINY_A, 0, 0, 39.0), ("tiny alpha", TINY_A, 1000, 38.0, 39.0),
               ("tiny beta", TINY_B, 3, 0, 39.0), ("tiny beta", TINY_B, 1000, 38.0, 39.0),
               ("large x, tiny gap", BENCH, 300, 40.0 - 1e-7, 40.0), ("large x, tiny gap", AGTB, 5000, 40.0 - 1e-7, 40.0)]
for x in (300, 1000, 5000):
    for tx in (39.0, 39.5, 39.9, 39.99):
        alive_cases.append(("large x", BENCH, x, tx, 40.0))
        alive_cases.append(("large x", AGTB, x, tx, 40.0))
alive = []
for label, par, x, tx, T in alive_cases:
    pa = p_alive(par, x, tx, T)
    alive.append({"label": label, "params": dict(zip(["r", "alpha", "s", "beta"], par)), "x": x, "t_x": tx, "T": T,
                  "pAlive": float(pa), "pAlive30": mp.nstr(pa, 30), "dead": float(1 - pa)})



def log_scaled(m, s, al, be, tx, T):
    """ln[I (alpha+T)^m (beta+T)^s] (src/numeric/pareto.ts logParetoIntegralScaled) by the closed form at 100 digits."""
    with mp.workdps(100):
        m, s, al, be, tx, T = (mp.mpf(v) for v in (m, s, al, be, tx, T))
        k = m + s
        if al >= be:
            F = lambda u: mp.hyp2f1(k, s + 1, k + 1, (al - be) / (al + u)) / (al + u) ** k
        else:
            F = lambda u: mp.hyp2f1(k, m, k + 1, (be - al) / (be + u)) / (be + u) ** k
        return mp.log((F(tx) - F(T)) / k) + m * mp.log(al + T) + s * mp.log(be + T)


# the kernel's branches: alpha >= beta; alpha < beta with m < 1 and m >= 1 (Euler's form), a
# short interval, a large m, min(alpha, beta) far below the other (quadrature), and a row of a
# seeded random search where ln I + m ln(alpha+T) + s ln(beta+T) was 2.4e-13 off
kernel_cases = [(3.55, 0.6, 10.6, 11.7, 20.0, 39.0), (1.2, 0.9, 12.0, 3.0, 0.0, 39.0), (0.7, 2.0, 1.0, 3.0, 0.5, 0.5000001),
                (0.5, 0.887, 10.067, 25.347, 0.0, 40.0), (60.3, 0.6, 0.5, 3.0, 5.0, 39.0), (300.503, 0.887, 10.067, 25.347, 39.0, 40.0),
                (5002.0, 0.5, 30.0, 4.0, 39.9, 40.0), (5000.503, 0.887, 10.067, 25.347, 39.0, 40.0), (3.55, 0.6, 0.001, 1e4, 0.0, 39.0),
                (3.55, 0.6, 1e4, 0.001, 0.0, 39.0), (1000.55, 0.6, 0.001, 1e4, 38.0, 39.0),
                (13.877930372657154, 0.26802932912660177, 0.005692605644882062, 141.61217881353514, 1.0112731879084744, 2.3225309381837795)]
kernel = [{"m": c[0], "s": c[1], "alpha": c[2], "beta": c[3], "t_x": c[4], "T": c[5], "value": float(log_scaled(*c)), "value30": mp.nstr(log_scaled(*c), 30)} for c in kernel_cases]

print(json.dumps({"source": "mpmath " + mp.__version__ + "; pmf given alive: 40 digits, direct integrals (no closed form); "
                  "P(alive) and logScaled: the 2F1 closed form at 100 digits", "cases": rows, "pAlive": alive, "logScaled": kernel}, indent=1))
