"""Exact reference values for markovCustomerValue (test/migration/markov.test.ts).

Pfeifer & Carraway (2000)'s recency model with five recency states, purchase probabilities
.30/.20/.15/.05/0, net contribution 40 and a marketing cost of 4 per period while the customer
is in states 1..4 (rewards 36, -4, -4, -4, 0), discount rate 0.2. The parameters are the
paper's example as we recall it; the published value vector could not be retrieved here, so
the values below are computed exactly (rational arithmetic) from the formulas
V = (I - (1+d)^-1 P)^-1 R and V_T = sum_{t=0..T} [(1+d)^-1 P]^t R, independently of our code.
Run: /usr/bin/python3 test/reference/crm2_markov.py > test/reference/crm2_markov.json
"""
import json
from fractions import Fraction as F

p = [F(3, 10), F(2, 10), F(15, 100), F(5, 100), F(0)]
k = len(p)
P = [[F(0)] * k for _ in range(k)]
for i, x in enumerate(p):
    P[i][0] += x
    P[i][min(i + 1, k - 1)] += 1 - x
R = [F(36), F(-4), F(-4), F(-4), F(0)]
d = F(1, 5)
q = 1 / (1 + d)

# limit: Gauss-Jordan on (I - qP) v = R, exact
A = [[(1 if i == j else 0) - q * P[i][j] for j in range(k)] + [R[i]] for i in range(k)]
for c in range(k):
    piv = next(r for r in range(c, k) if A[r][c] != 0)
    A[c], A[piv] = A[piv], A[c]
    A[c] = [x / A[c][c] for x in A[c]]
    for r in range(k):
        if r != c and A[r][c] != 0:
            f = A[r][c]
            A[r] = [x - f * y for x, y in zip(A[r], A[c])]
limit = [A[i][k] for i in range(k)]

def finite(T):
    v = list(R)
    cur = list(R)
    for _ in range(T):
        cur = [q * sum(P[i][j] * cur[j] for j in range(k)) for i in range(k)]
        v = [a + b for a, b in zip(v, cur)]
    return v

out = {
    "purchaseProbability": [float(x) for x in p],
    "rewards": [float(x) for x in R],
    "discountRate": float(d),
    "limit": [float(x) for x in limit],
    "limitExact": [str(x) for x in limit],
    "finite": {str(T): [float(x) for x in finite(T)] for T in (0, 1, 5, 20, 100)},
}
print(json.dumps(out, indent=1))
