"""Peer timing for benchmarks/cluster.bench.ts: scikit-learn KMeans on the same points.

    /usr/bin/python3 benchmarks/cluster_sklearn.py <file.f64> <n> <d> <k> <n_init>

Reads n*d little-endian float64 (row-major, already log-transformed and standardised by the
benchmark), fits KMeans(k, init="k-means++", n_init, algorithm="lloyd", random_state=0) and
prints one JSON line: wall and CPU seconds (fit only, CPU summed over threads), inertia, n_iter, threads, sklearn version, peak RSS.
"""
import json
import resource
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans

path, n, d, k, n_init = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(path, dtype="<f8").reshape(n, d)
t0 = time.perf_counter()
c0 = time.process_time()
km = KMeans(n_clusters=k, init="k-means++", n_init=n_init, algorithm="lloyd", random_state=0).fit(X)
seconds = time.perf_counter() - t0
cpu = time.process_time() - c0
try:
    from threadpoolctl import threadpool_info
    threads = max((p.get("num_threads", 1) for p in threadpool_info()), default=1)
except Exception:  # threadpoolctl missing: unknown
    threads = None
print(json.dumps({
    "seconds": seconds,
    "cpu": cpu,
    "inertia": float(km.inertia_),
    "n_iter": int(km.n_iter_),
    "threads": threads,
    "sklearn": sklearn.__version__,
    "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
