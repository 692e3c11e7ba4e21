"""Reference for the choice of k (test/cluster/kchoice.test.ts): scikit-learn's own KMeans and
indices on the CDNOW RFM features as the report clusters them (log1p, z-scored, rounded to 6
decimals). Run from the project root with Debian's python3-sklearn (sklearn 1.2, numpy):

    npx tsx test/cluster/k_choice_export.ts > /tmp/cdnow_rfm_scaled.csv
    /usr/bin/python3 test/cluster/k_choice_sklearn.py /tmp/cdnow_rfm_scaled.csv > test/cluster/k_choice_sklearn.json

For k = 2..8: KMeans(n_clusters=k, n_init=10, random_state=0) labels, inertia, and
silhouette_score (exact), calinski_harabasz_score and davies_bouldin_score on those labels; and
the k scikit-learn's silhouette analysis picks over 2..8 and over 3..8.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

X = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
out = {"sklearn": sklearn.__version__, "n": int(X.shape[0]), "x": np.round(X, 6).ravel().tolist(), "ks": []}
for k in range(2, 9):
    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
    lab = km.labels_
    out["ks"].append({
        "k": k,
        "labels": lab.astype(int).tolist(),
        "inertia": float(km.inertia_),
        "silhouette": float(silhouette_score(X, lab)),
        "calinskiHarabasz": float(calinski_harabasz_score(X, lab)),
        "daviesBouldin": float(davies_bouldin_score(X, lab)),
    })
sil = {r["k"]: r["silhouette"] for r in out["ks"]}
out["bestSilhouette2to8"] = max(range(2, 9), key=lambda k: sil[k])
out["bestSilhouette3to8"] = max(range(3, 9), key=lambda k: sil[k])
out["bestCalinskiHarabasz2to8"] = max(range(2, 9), key=lambda k: out["ks"][k - 2]["calinskiHarabasz"])
out["bestDaviesBouldin2to8"] = min(range(2, 9), key=lambda k: out["ks"][k - 2]["daviesBouldin"])
json.dump(out, sys.stdout, separators=(",", ":"))
