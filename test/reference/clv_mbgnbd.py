"""Peer reference for the MBG/NBD model: lifetimes' ModifiedBetaGeoFitter on the CDNOW sample.

    LIFETIMES_SRC=/path/to/lifetimes-checkout AUTOGRAD_SRC=/path/to/autograd-checkout \
      /usr/bin/python3 test/reference/clv_mbgnbd.py > test/reference/clv_mbgnbd.json

Run from the project root. lifetimes (github CamDavidsonPilon/lifetimes, commit 4f2833f) and
autograd (github HIPS/autograd, commit bff107b) are used from their source trees, nothing is
installed: lifetimes imports `dill` only to pickle fitted models, so a stub module stands in for
it. Debian's python3-numpy, python3-scipy and python3-pandas do the rest.

Output: lifetimes' fitted parameters and standard errors (autograd Hessian) (its default fit: tol 1e-7 on the mean negative
log-likelihood), the same objective polished with scipy BFGS at a tight tolerance (the exact
maximum-likelihood point our fit is compared with), the total log-likelihood, and lifetimes'
predictions (E[X(t)], E[Y(t) | x, t_x, T], P(alive), P(X(t) = k)) at its fitted parameters.
"""
import json
import os
import sys
import types

import numpy as np
import pandas as pd
from scipy.optimize import minimize

sys.path[:0] = [os.environ.get("LIFETIMES_SRC", "/tmp/helperL"), os.environ.get("AUTOGRAD_SRC", "/tmp/helperL/ag")]
sys.modules.setdefault("dill", types.ModuleType("dill"))  # only used by lifetimes' save_model
from lifetimes import ModifiedBetaGeoFitter  # noqa: E402

d = pd.read_csv("../shared/data/cdnow/cdnow_customers_summary.csv")
f, rec, T = d["frequency"].to_numpy(float), d["recency"].to_numpy(float), d["T"].to_numpy(float)
m = ModifiedBetaGeoFitter().fit(f, rec, T)
p = m.params_
w = np.ones_like(f)

def nll(logp):
    return ModifiedBetaGeoFitter._negative_log_likelihood(logp, f, rec, T, w, 0.0)

# polish: the exact optimum of the same objective (unscaled time), BFGS from lifetimes' point
x0 = np.log([p["r"], p["alpha"], p["a"], p["b"]])
res = minimize(nll, x0, method="BFGS", options={"gtol": 1e-11, "maxiter": 10000})
res = minimize(nll, res.x, method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-15, "maxiter": 20000})
polished = dict(zip(["r", "alpha", "a", "b"], np.exp(res.x).tolist()))

ts = [1.0, 10.0, 39.0, 78.0]
rows = list(range(0, 20)) + [int(i) for i in np.argsort(-f)[:5]]
out = {
    "source": "lifetimes ModifiedBetaGeoFitter (commit 4f2833f) on ../shared/data/cdnow/cdnow_customers_summary.csv",
    "customers": int(len(f)),
    "lifetimes": {k: float(p[k]) for k in ["r", "alpha", "a", "b"]},
    "lifetimesStandardErrors": {k: float(m.standard_errors_[k]) for k in ["r", "alpha", "a", "b"]},
    "polished": polished,
    "polishedLogLikelihood": float(-nll(res.x) * len(f)),
    "expectedPurchases": [{"t": t, "value": float(m.expected_number_of_purchases_up_to_time(t))} for t in ts],
    "customersChecked": [
        {
            "row": i + 1, "x": f[i], "t_x": rec[i], "T": T[i],
            "pAlive": float(m.conditional_probability_alive(f[i], rec[i], T[i])[0]),
            "conditional": {str(int(t)): float(m.conditional_expected_number_of_purchases_up_to_time(t, f[i], rec[i], T[i])) for t in ts},
        }
        for i in rows
    ],
    "pmf39": [float(m.probability_of_n_purchases_up_to_time(39.0, k)) for k in range(0, 6)],
}
print(json.dumps(out, indent=1))
