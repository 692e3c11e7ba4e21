"""Reference numbers for test/cluster (clustering).

Run from the project root with Debian's python3-sklearn (sklearn 1.2, numpy):

    /usr/bin/python3 test/reference/cluster_sklearn.py > test/reference/cluster_sklearn.json

Writes a small fixed data set (60 customers, 3 RFM-like features, from numpy's seeded
generator) and, for given initial centres, scikit-learn's KMeans (Lloyd, n_init=1) centroids,
labels, inertia and iterations, plus silhouette_score and calinski_harabasz_score, on:
  raw        - the raw features, no scaling
  zscore     - StandardScaler (population sd) on log1p features
  robust     - RobustScaler (median, IQR 25-75) on the raw features
The tests never run python; they read the frozen JSON.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, silhouette_score
from sklearn.preprocessing import RobustScaler, StandardScaler

rng = np.random.default_rng(20240607)
groups = [  # (n, recency mean, frequency mean, spend mean)
    (20, 15.0, 9.0, 600.0),
    (25, 90.0, 3.0, 150.0),
    (15, 300.0, 1.0, 40.0),
]
rows = []
for n, r, f, m in groups:
    for _ in range(n):
        rows.append([
            float(np.round(max(0.0, rng.normal(r, r * 0.3)), 0)),
            float(max(1, int(rng.poisson(f)))),
            float(np.round(max(1.0, rng.gamma(4.0, m / 4.0)), 2)),
        ])
X = np.array(rows)
init_idx = [0, 20, 45]  # one customer from each group as the starting centres


def case(Z, init):
    km = KMeans(n_clusters=3, init=init, n_init=1, max_iter=300, tol=0.0, algorithm="lloyd").fit(Z)
    return {
        "init": init.tolist(),
        "centroids": km.cluster_centers_.tolist(),
        "labels": km.labels_.tolist(),
        "inertia": float(km.inertia_),
        "iterations": int(km.n_iter_),
        "silhouette": float(silhouette_score(Z, km.labels_)),
        "calinskiHarabasz": float(calinski_harabasz_score(Z, km.labels_)),
    }


out = {"sklearn": sklearn.__version__, "features": ["recencyDays", "frequency", "totalSpend"], "data": X.tolist(), "initIndex": init_idx}
out["raw"] = case(X, X[init_idx])
zs = StandardScaler().fit(np.log1p(X))
Zz = zs.transform(np.log1p(X))
out["zscore"] = case(Zz, Zz[init_idx]) | {"center": zs.mean_.tolist(), "scale": zs.scale_.tolist()}
rs = RobustScaler().fit(X)
Zr = rs.transform(X)
out["robust"] = case(Zr, Zr[init_idx]) | {"center": rs.center_.tolist(), "scale": rs.scale_.tolist()}
json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")
