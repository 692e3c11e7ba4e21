#!/usr/bin/python3
"""Reference values of e^z E_n(z) (the scaled exponential integral) from mpmath at 50 digits.

Run: /usr/bin/python3 test/reference/numeric_expint.py > test/reference/numeric_expint.json
(python3-mpmath from apt). The JSON is committed so CI needs no Python; it is checked by
test/numeric/expint.test.ts against src/numeric/expint.ts (scaledExpint).

Each value is mpmath.expint(n, z) * mpmath.exp(z) at 800 digits (rounded to 50; see scaled_expint), with n and z the exact doubles
written in the JSON. It is cross-checked by expint at 1200 digits (default, ~6 min) or, with --quad, the integral
e^z E_n(z) = (1/(n-1)) * int_0^1 exp(-z (t^(-1/(n-1)) - 1)) dt  (t = (1+s)^-(n-1) in
int_0^inf e^(-zs) (1+s)^-n ds), by mpmath.quad at 50 digits split where the integrand turns
from 0 to 1; the two must agree to 1e-25 relative or the script stops.
"""
import json
import sys
import mpmath as mp

mp.mp.dps = 50

N = [1.0001, 1.001, 1.01, 1.1, 1.243, 1.5, 1.9999, 2, 2.0001, 2.5, 3, 3.7, 5, 7.25, 10, 17.3, 30, 31, 50.5, 100, 250.5, 500]
Z = [1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 4e-3, 0.01, 0.02, 0.05, 0.1, 0.3, 0.7, 1, 2.5, 7, 20, 60, 200, 1000, 1e4]


def scaled_expint(n, z, dps=800):
    """mpmath's expint cancels for large n and z at 50 digits (n 100, z 200 gives -4.3e9;
    n 500, z 1000 gives 3.5e302, still wrong at 150 digits), so it runs at `dps` digits and
    the result is rounded to 50."""
    with mp.workdps(dps):
        v = mp.expint(mp.mpf(n), mp.mpf(z)) * mp.exp(mp.mpf(z))
    return +v


def scaled_expint_quad(n, z):
    """The t-integral form. The integrand rises from 0 (t = 0) to 1 (t = 1), steepest near
    t = c = (1 + 1/z)^-(n-1); split at c and geometrically from c towards both ends. Where
    z (t^(-1/(n-1)) - 1) > 1000 the integrand is below e^-1000 and is taken as 0 (mpmath
    would otherwise spend minutes on exp(-1e173000))."""
    n, z = mp.mpf(n), mp.mpf(z)
    m = n - 1

    def g(t):
        if t <= 0:
            return mp.mpf(0)
        y = -mp.log(t) / m
        if y > 1000:
            return mp.mpf(0)
        w = z * mp.expm1(y)
        return mp.exp(-w) if w < 1000 else mp.mpf(0)

    c = (1 + 1 / z) ** (-m)
    pts = {mp.mpf(0), mp.mpf(1), c}
    for k in range(1, 60):
        pts.add(c * mp.mpf(2) ** (-k))
        pts.add(1 - (1 - c) * mp.mpf(2) ** (-k))
    return mp.quad(g, sorted(pts)) / m


rows = []
worst = 0
for n in N:
    for z in Z:
        v = scaled_expint(n, z)
        # the second method: the quadrature (slow, ~1 s a point: with --quad), else expint at 1200 digits
        q = scaled_expint_quad(n, z) if "--quad" in sys.argv else scaled_expint(n, z, 1200)
        d = abs(q / v - 1)
        worst = max(worst, d)
        assert d < mp.mpf(10) ** -25, (n, z, v, q, d)
        rows.append({"n": n, "z": z, "value": float(v)})

# limits the kernel must reproduce: z = 0 gives 1/(n-1) exactly (the integral of (1+s)^-n)
limits = [{"n": n, "z": 0, "value": float(1 / (mp.mpf(n) - 1))} for n in N]

print(json.dumps({
    "source": "mpmath " + mp.__version__ + ": expint(n, z) * exp(z) at 800 digits rounded to 50; cross-checked by " + ("mpmath.quad of the t-integral form" if "--quad" in sys.argv else "expint at 1200 digits") + ", worst relative difference %.1e" % float(worst),
    "n": N,
    "z": Z,
    "cases": rows,
    "limits": limits,
}, indent=1))
