"""Peer timing for benchmarks/clv.bench.ts: numpy/scipy-vectorised BG/NBD and Gamma-Gamma scoring.

    /usr/bin/python3 benchmarks/clv_numpy.py <dir> <n> <r> <alpha> <a> <b> <p> <q> <gamma> <t> <repeat>

Reads <dir>/x.f64, t_x.f64, T.f64, m.f64 (n little-endian float64 each, written by the
benchmark) and times, smallest wall and smallest CPU time of <repeat> runs each, the same closed forms our column functions
evaluate, written the way `lifetimes` writes them (whole-array numpy expressions, scipy's
hyp2f1 per customer):

  P(alive)        1 / (1 + 1{x>0} a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)), as expit(-log ratio)
  E[Y(t) | ...]   (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))]
                  / (1 + 1{x>0} a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))   (FHL 2005 eq. 10)
  E[Z | x, m]     p (gamma + x m) / (p x + q - 1)                           (Gamma-Gamma)

Inputs are read before the clock starts (our side also starts from columns in memory). The
results are written to <dir>/numpy_palive.f64, numpy_cep.f64, numpy_spend.f64 so that the
benchmark can check both sides computed the same numbers. Prints one JSON line: wall and CPU
seconds per formula (CPU = process time, all threads), numpy/scipy versions.
"""
import json
import os
import sys
import time

import numpy as np
import scipy
from scipy.special import expit, hyp2f1


def p_alive(x, tx, T, r, alpha, a, b):
    log_div = (r + x) * np.log((alpha + T) / (alpha + tx)) + np.log(a / (b + np.maximum(x, 1) - 1))
    return np.where(x == 0, 1.0, expit(-log_div))


def conditional_expected_purchases(x, tx, T, t, r, alpha, a, b):
    _a = r + x
    _b = b + x
    _c = a + b + x - 1
    _z = t / (alpha + T + t)
    ln_hyp = np.log(hyp2f1(_a, _b, _c, _z))
    # where the plain series overflows, the Euler transform (as lifetimes does)
    ln_hyp_alt = np.log(hyp2f1(_c - _a, _c - _b, _c, _z)) + (_c - _a - _b) * np.log(1 - _z)
    ln_hyp = np.where(np.isinf(ln_hyp), ln_hyp_alt, ln_hyp)
    first = (a + b + x - 1) / (a - 1)
    second = 1 - np.exp(ln_hyp + (r + x) * np.log((alpha + T) / (alpha + t + T)))
    denominator = 1 + (x > 0) * (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x)
    return first * second / denominator


def expected_spend(x, m, p, q, gamma):
    return p * (gamma + x * m) / (p * x + q - 1)


def best_of(fn, repeat):
    """Smallest wall and smallest CPU time over `repeat` runs (each taken on its own, as the
    benchmark does on its side: on a shared machine the minimum is the steadiest figure)."""
    wall_best = cpu_best = float("inf")
    out = None
    for _ in range(repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        out = fn()
        wall_best = min(wall_best, time.perf_counter() - t0)
        cpu_best = min(cpu_best, time.process_time() - c0)
    return wall_best, cpu_best, out


def main():
    d = sys.argv[1]
    n = int(sys.argv[2])
    r, alpha, a, b, p, q, gamma, t = (float(v) for v in sys.argv[3:11])
    repeat = int(sys.argv[11])
    cols = {k: np.fromfile(os.path.join(d, f"{k}.f64"), dtype="<f8", count=n) for k in ("x", "t_x", "T", "m")}
    x, tx, T, m = cols["x"], cols["t_x"], cols["T"], cols["m"]
    res = {}
    for name, fn in (
        ("palive", lambda: p_alive(x, tx, T, r, alpha, a, b)),
        ("cep", lambda: conditional_expected_purchases(x, tx, T, t, r, alpha, a, b)),
        ("spend", lambda: expected_spend(x, m, p, q, gamma)),
    ):
        wall, cpu, out = best_of(fn, repeat)
        np.ascontiguousarray(out, dtype="<f8").tofile(os.path.join(d, f"numpy_{name}.f64"))
        res[name] = {"seconds": wall, "cpu": cpu}
    res["numpy"] = np.__version__
    res["scipy"] = scipy.__version__
    print(json.dumps(res))


if __name__ == "__main__":
    main()
