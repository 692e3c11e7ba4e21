"""
Independent reference for test/rules/groceries.test.ts: the frequent, closed and maximal itemsets
of the Groceries baskets at support 0.001 (and 0.005), by a plain level-wise Apriori over Python
big-integer basket bitmaps, without the library (code review 1.2: the closed/maximal figures had
no re-runnable source).

Baskets: one per line of groceries.csv, labels split on "," and trimmed (as R's
read.transactions does), repeated labels counted once. Frequent: count >= ceil(minSupport * N)
(count / N >= minSupport, computed as the smallest integer c with c / N >= minSupport).
Closed: no superset with the same count; maximal: no frequent superset (by anti-monotonicity it
suffices to look at the frequent supersets with one more item).

Run: /usr/bin/python3 test/reference/rules_groceries_closed.py > test/reference/rules_groceries_closed.json
"""
import json
import sys
from itertools import combinations

PATH = "../shared/data/groceries/groceries.csv"

baskets = []
with open(PATH, encoding="utf-8") as fh:
    for line in fh:
        if line.strip() == "":
            continue
        baskets.append({x.strip() for x in line.rstrip("\n").split(",") if x.strip() != ""})
n = len(baskets)
items = sorted({x for b in baskets for x in b})
bits = {x: 0 for x in items}
for k, b in enumerate(baskets):
    for x in b:
        bits[x] |= 1 << k


def min_count(min_support):
    c = int(min_support * n)
    while c / n < min_support:
        c += 1
    while c > 1 and (c - 1) / n >= min_support:
        c -= 1
    return c


def mine(min_support):
    mc = min_count(min_support)
    level = {}
    for x in items:
        c = bin(bits[x]).count("1")
        if c >= mc:
            level[(x,)] = (bits[x], c)
    frequent = dict((k, v[1]) for k, v in level.items())
    while level:
        keys = sorted(level)
        nxt = {}
        for i in range(len(keys)):
            for j in range(i + 1, len(keys)):
                a, b = keys[i], keys[j]
                if a[:-1] != b[:-1]:
                    break
                cand = a + (b[-1],)
                if any(sub not in level for sub in combinations(cand, len(cand) - 1)):
                    continue
                t = level[a][0] & level[b][0]
                c = bin(t).count("1")
                if c >= mc:
                    nxt[cand] = (t, c)
        frequent.update((k, v[1]) for k, v in nxt.items())
        level = nxt
    not_closed = set()
    not_maximal = set()
    for s, c in frequent.items():
        for sub in combinations(s, len(s) - 1):
            if len(sub) == 0:
                continue
            not_maximal.add(sub)
            if frequent[sub] == c:
                not_closed.add(sub)
    return {
        "minCount": mc,
        "itemsets": len(frequent),
        "maxLength": max(len(s) for s in frequent),
        "closed": len(frequent) - len(not_closed),
        "maximal": len(frequent) - len(not_maximal),
    }


json.dump({"source": "test/reference/rules_groceries_closed.py on " + PATH, "baskets": n, "items": len(items), "0.005": mine(0.005), "0.001": mine(0.001)}, sys.stdout, indent=1)
sys.stdout.write("\n")
