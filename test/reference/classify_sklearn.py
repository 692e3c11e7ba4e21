"""Reference numbers for test/classify from scikit-learn (Debian python3-sklearn 1.2).

Run from the project root (tests never run this; they read the frozen classify_sklearn.json):

    /usr/bin/python3 test/reference/classify_sklearn.py > test/reference/classify_sklearn.json

1. trees: iris (150 x 4, 3 classes) and wine (178 x 13, 3 classes), bundled with scikit-learn,
   split deterministically (every 4th row, i % 4 == 0, is a test row). DecisionTreeClassifier
   (gini and entropy; unlimited depth and max_depth=3; random_state=0): the fitted tree (feature,
   threshold, children, node sizes, class shares), the leaf of every training row (to tell
   whether two tied splits part the same rows), test predictions and probabilities, accuracy.
   RandomForestClassifier(100 trees, random_state=0) and HistGradientBoostingClassifier
   (defaults, random_state=0): test accuracy and (boosting) probabilities.
2. GaussianNB (defaults) on the same splits: theta, var, epsilon, test probabilities, and the
   test metrics of its predictions (confusion matrix, per-class precision/recall/F1/support,
   macro and weighted F1, balanced accuracy, log-loss) for evaluateClassifier.
3. CategoricalNB on a 300-row categorical table from the MINSTD generator below (its rows are
   written out): three features of 3, 4 and 2 levels, 3 classes; every 5th row is a test row;
   alpha 1 and 0.5.
4. Mixed naive Bayes (no scikit-learn estimator): GaussianNB's joint log-likelihood on the numeric
   columns plus CategoricalNB's on the categorical ones minus one log prior (both estimators
   count the prior), softmax -> probabilities. Table: the categorical table plus two numeric columns.
The data are written out too (small), so the tests need no Python.
"""
import json, sys
import numpy as np
import sklearn
from sklearn.datasets import load_iris, load_wine
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier, HistGradientBoostingClassifier
from sklearn.naive_bayes import GaussianNB, CategoricalNB
from sklearn.metrics import precision_recall_fscore_support, f1_score, log_loss, confusion_matrix, balanced_accuracy_score
from scipy.special import logsumexp

out = {"sklearn": sklearn.__version__}


def tree_dict(t, n_classes):
    tr = t.tree_
    value = tr.value[:, 0, :]
    share = value / value.sum(axis=1, keepdims=True)
    return {
        "feature": [int(f) if l >= 0 else -1 for f, l in zip(tr.feature, tr.children_left)],
        "threshold": [float(x) if l >= 0 else 0.0 for x, l in zip(tr.threshold, tr.children_left)],
        "left": [int(x) for x in tr.children_left],
        "right": [int(x) for x in tr.children_right],
        "n": [int(x) for x in tr.n_node_samples],
        "proba": [[float(v) for v in row] for row in share],
    }


for name, loader in [("iris", load_iris), ("wine", load_wine)]:
    d = loader()
    X, y = d.data, d.target
    labels = [str(d.target_names[k]) for k in y]
    test = np.arange(len(y)) % 4 == 0
    train = ~test
    ds = {"features": [str(f) for f in d.feature_names], "X": X.tolist(), "y": labels, "test": [int(i) for i in np.where(test)[0]]}
    yl = np.array(labels)
    for crit in ["gini", "entropy"]:
        for depth in [None, 3]:
            t = DecisionTreeClassifier(criterion=crit, max_depth=depth, random_state=0).fit(X[train], yl[train])
            key = f"tree_{crit}_{'full' if depth is None else depth}"
            ds[key] = {
                "classes": [str(c) for c in t.classes_],
                "tree": tree_dict(t, len(t.classes_)),
                "train_leaf": [int(x) for x in t.apply(X[train])],
                "predict": [str(c) for c in t.predict(X[test])],
                "proba": t.predict_proba(X[test]).tolist(),
                "accuracy": float((t.predict(X[test]) == yl[test]).mean()),
            }
    rf = RandomForestClassifier(n_estimators=100, random_state=0).fit(X[train], yl[train])
    ds["forest_accuracy"] = float((rf.predict(X[test]) == yl[test]).mean())
    hgb = HistGradientBoostingClassifier(random_state=0).fit(X[train], yl[train])
    ds["boosting"] = {"accuracy": float((hgb.predict(X[test]) == yl[test]).mean()), "proba": hgb.predict_proba(X[test]).tolist(), "n_iter": int(hgb.n_iter_)}
    g = GaussianNB().fit(X[train], yl[train])
    pred = g.predict(X[test])
    prec, rec, f1, sup = precision_recall_fscore_support(yl[test], pred, labels=g.classes_, zero_division=0)
    ds["gaussian_nb"] = {"classes": [str(c) for c in g.classes_], "theta": g.theta_.tolist(), "var": g.var_.tolist(), "epsilon": float(g.epsilon_),
                         "prior": g.class_prior_.tolist(), "proba": g.predict_proba(X[test]).tolist(), "accuracy": float((pred == yl[test]).mean()),
                         "metrics": {"confusion": confusion_matrix(yl[test], pred, labels=g.classes_).tolist(), "precision": prec.tolist(), "recall": rec.tolist(), "f1": f1.tolist(),
                                     "support": sup.tolist(), "macro_f1": float(f1_score(yl[test], pred, average="macro")), "weighted_f1": float(f1_score(yl[test], pred, average="weighted")),
                                     "log_loss": float(log_loss(yl[test], g.predict_proba(X[test]), labels=g.classes_)),
                                     "balanced_accuracy": float(balanced_accuracy_score(yl[test], pred))}}
    out[name] = ds


def minstd(seed):
    state = seed
    while True:
        state = (state * 48271) % 2147483647
        yield state


def cat_table(n=300, seed=2024):
    """Three categorical features (3, 4, 2 levels) and a class (3 values) that depends on them, plus two numbers."""
    g = minstd(seed)
    rows = []
    for _ in range(n):
        a, b, c = next(g) % 3, next(g) % 4, next(g) % 2
        u = next(g) % 100
        # class: mostly a, shifted by b >= 2, noise 20%
        k = (a + (1 if b >= 2 else 0)) % 3 if u >= 20 else next(g) % 3
        x1 = (next(g) % 1000) / 100 + 2 * k      # numeric, class-dependent mean
        x2 = (next(g) % 500) / 50                # numeric noise
        rows.append((a, b, c, k, x1, x2))
    return np.array(rows, dtype=float)


T = cat_table()
Xc = T[:, :3].astype(int)
yc = T[:, 3].astype(int)
Xn = T[:, 4:6]
test = np.arange(len(yc)) % 5 == 0
train = ~test
cat = {"rows": T.tolist(), "test": [int(i) for i in np.where(test)[0]]}
for alpha in [1.0, 0.5]:
    m = CategoricalNB(alpha=alpha).fit(Xc[train], yc[train])
    cat[f"alpha_{alpha}"] = {"proba": m.predict_proba(Xc[test]).tolist(), "log_prob": [lp.tolist() for lp in m.feature_log_prob_]}
gn = GaussianNB().fit(Xn[train], yc[train])
cn = CategoricalNB(alpha=1.0).fit(Xc[train], yc[train])
jll = gn._joint_log_likelihood(Xn[test]) + cn._joint_log_likelihood(Xc[test]) - np.log(gn.class_prior_)
cat["mixed_proba"] = np.exp(jll - logsumexp(jll, axis=1, keepdims=True)).tolist()
cat["gaussian_only_proba"] = gn.predict_proba(Xn[test]).tolist()
out["categorical"] = cat

json.dump(out, sys.stdout, indent=None)
