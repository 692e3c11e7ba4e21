/**
 * The k-d tree behind the k-means assignment step for few features (Kanungo et al. 2002,
 * "An efficient k-means clustering algorithm: analysis and implementation", the filtering
 * algorithm). Private to `kmeans`; not exported from the package.
 *
 * The points are copied once into tree order and split recursively at the middle of the widest
 * side of each node's bounding box. Every node stores that box and the sum of its points. An
 * assignment pass walks the tree with the list of centres that may still own a point of the
 * node; a centre is dropped when it is farther than another candidate from the whole box, and
 * a node left with one candidate is assigned at once (its stored sum goes to that centre). Only
 * boxes that straddle a boundary between clusters are opened down to their points, so a pass
 * touches a small part of the data once the centres settle.
 *
 * The labels are exactly those of plain Lloyd (nearest centre, lowest number on exact ties): a
 * centre is dropped only when it is farther from every point of the box by more than a margin
 * that covers floating-point rounding, and the points of an opened leaf are compared with the
 * remaining candidates in increasing cluster order by the same squared distance.
 * @module
 */

/** A k-d tree over `n` points of `d` coordinates; built by {@link buildKdTree}. */
export interface KdTree {
  readonly n: number;
  readonly d: number;
  /** The points in tree order, row-major (a copy; the input is not reordered). */
  readonly xs: Float64Array;
  /** Original index of the point at each tree position. */
  readonly perm: Int32Array;
  /** Per node, `d` values each: smallest and largest coordinate of its points, sum of its points. */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly sum: Float64Array;
  /** Per node: tree positions `start .. end - 1`; first child (`-1` for a leaf; the second child is `child + 1`). */
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly child: Int32Array;
  readonly nodes: number;
  /** Largest node depth (the root is at depth 0). */
  readonly depth: number;
}

/** Nodes of at most this many points are leaves (measured on 1,000,000 x 3: 16-64 within 5%). */
const LEAF_SIZE = 32;

/**
 * Build the tree: split each node at the middle of the widest side of its bounding box until it
 * holds at most {@link LEAF_SIZE} points or all its points coincide. One partition pass per
 * level, which also gathers the boxes and sums of both children; O(n d log n) time.
 */
export function buildKdTree(x: Float64Array, n: number, d: number): KdTree {
  const xs = Float64Array.from(x);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let cap = Math.max(16, Math.ceil((4 * n) / LEAF_SIZE));
  let lo = new Float64Array(cap * d);
  let hi = new Float64Array(cap * d);
  let sum = new Float64Array(cap * d);
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let child = new Int32Array(cap);
  let nodes = 1;
  let depth = 0;
  const grow = <T extends Float64Array | Int32Array>(a: T, make: (len: number) => T): T => {
    const b = make(a.length * 2);
    b.set(a);
    return b;
  };
  lo.fill(Infinity, 0, d);
  hi.fill(-Infinity, 0, d);
  for (let p = 0; p < n; p++) {
    for (let t = 0; t < d; t++) {
      const v = xs[p * d + t];
      if (v < lo[t]) lo[t] = v;
      if (v > hi[t]) hi[t] = v;
      sum[t] += v;
    }
  }
  start[0] = 0;
  end[0] = n;
  // Boxes and sums of the two children being formed: lo, hi, sum of the left, then of the right.
  const acc = new Float64Array(6 * d);
  const stack: number[] = [0, 0];
  while (stack.length > 0) {
    const level = stack.pop()!;
    const node = stack.pop()!;
    if (level > depth) depth = level;
    const s = start[node];
    const e = end[node];
    const nd = node * d;
    let dim = 0;
    let width = -1;
    for (let t = 0; t < d; t++) {
      if (hi[nd + t] - lo[nd + t] > width) {
        width = hi[nd + t] - lo[nd + t];
        dim = t;
      }
    }
    if (e - s <= LEAF_SIZE || !(width > 0)) {
      child[node] = -1;
      continue;
    }
    // Left: coordinates below the middle. When the middle rounds onto the smallest value (two
    // adjacent doubles), left is that value alone. Either way both sides keep at least one point.
    const min = lo[nd + dim];
    const middle = min + width / 2;
    const atMin = !(middle > min);
    const cut = atMin ? min : middle;
    for (let t = 0; t < d; t++) {
      acc[t] = acc[3 * d + t] = Infinity;
      acc[d + t] = acc[4 * d + t] = -Infinity;
      acc[2 * d + t] = acc[5 * d + t] = 0;
    }
    let i = s;
    let j = e - 1;
    while (i <= j) {
      const v = xs[i * d + dim];
      let side: number;
      let o: number;
      if (v < cut || (atMin && v === cut)) {
        side = 0;
        o = i * d;
        i++;
      } else {
        for (let t = 0; t < d; t++) {
          const tmp = xs[i * d + t];
          xs[i * d + t] = xs[j * d + t];
          xs[j * d + t] = tmp;
        }
        const tp = perm[i];
        perm[i] = perm[j];
        perm[j] = tp;
        side = 3 * d;
        o = j * d;
        j--;
      }
      for (let t = 0; t < d; t++) {
        const u = xs[o + t];
        if (u < acc[side + t]) acc[side + t] = u;
        if (u > acc[side + d + t]) acc[side + d + t] = u;
        acc[side + 2 * d + t] += u;
      }
    }
    if (nodes + 2 > cap) {
      cap *= 2;
      lo = grow(lo, (m) => new Float64Array(m));
      hi = grow(hi, (m) => new Float64Array(m));
      sum = grow(sum, (m) => new Float64Array(m));
      start = grow(start, (m) => new Int32Array(m));
      end = grow(end, (m) => new Int32Array(m));
      child = grow(child, (m) => new Int32Array(m));
    }
    const c = nodes;
    nodes += 2;
    child[node] = c;
    start[c] = s;
    end[c] = i;
    start[c + 1] = i;
    end[c + 1] = e;
    for (let t = 0; t < d; t++) {
      lo[c * d + t] = acc[t];
      hi[c * d + t] = acc[d + t];
      sum[c * d + t] = acc[2 * d + t];
      lo[(c + 1) * d + t] = acc[3 * d + t];
      hi[(c + 1) * d + t] = acc[4 * d + t];
      sum[(c + 1) * d + t] = acc[5 * d + t];
    }
    stack.push(c + 1, level + 1, c, level + 1);
  }
  return { n, d, xs, perm, lo, hi, sum, start, end, child, nodes, depth };
}

/**
 * Assignment passes of one k-means run over a {@link KdTree}. After {@link TreeAssignment.assign},
 * `labels` (tree order), `sums` and `counts` describe the partition by the given centres.
 */
export class TreeAssignment {
  readonly labels: Int32Array;
  readonly sums: Float64Array;
  readonly counts: Int32Array;
  /** Per node: the centre that owned the whole node in pass `stamp`, so an unchanged node costs no label writes. */
  private readonly owner: Int32Array;
  private readonly stamp: Int32Array;
  /** Candidate lists, `k` slots per depth. */
  private readonly cand: Int32Array;
  private pass = 0;
  private changed = 0;
  private centers: Float64Array;

  constructor(
    readonly tree: KdTree,
    readonly k: number,
  ) {
    this.labels = new Int32Array(tree.n).fill(-1);
    this.sums = new Float64Array(k * tree.d);
    this.counts = new Int32Array(k);
    this.owner = new Int32Array(tree.nodes).fill(-1);
    this.stamp = new Int32Array(tree.nodes).fill(-1);
    this.cand = new Int32Array((tree.depth + 2) * k);
    this.centers = new Float64Array(0);
  }

  /** Assign every point to its nearest centre; returns how many labels changed. */
  assign(centers: Float64Array): number {
    this.centers = centers;
    this.sums.fill(0);
    this.counts.fill(0);
    this.changed = 0;
    this.pass++;
    for (let j = 0; j < this.k; j++) this.cand[j] = j;
    this.visit(0, 0, this.k);
    return this.changed;
  }

  /** Labels in the original order of the points. */
  originalLabels(): Int32Array {
    const out = new Int32Array(this.tree.n);
    const perm = this.tree.perm;
    for (let p = 0; p < out.length; p++) out[perm[p]] = this.labels[p];
    return out;
  }

  /**
   * Original index of the point farthest from the centre (in `centers`) of its cluster, lowest
   * index on ties, skipping `taken`.
   */
  farthest(centers: Float64Array, taken: readonly number[]): number {
    const { xs, perm, d } = this.tree;
    let far = -1;
    let farD = -Infinity;
    for (let p = 0; p < this.tree.n; p++) {
      let s = 0;
      const a = this.labels[p] * d;
      for (let t = 0; t < d; t++) {
        const u = xs[p * d + t] - centers[a + t];
        s += u * u;
      }
      if ((s > farD || (s === farD && perm[p] < far)) && !taken.includes(perm[p])) {
        far = perm[p];
        farD = s;
      }
    }
    return far;
  }

  private visit(node: number, level: number, nc: number): void {
    const { lo, hi, d } = this.tree;
    const centers = this.centers;
    const cand = this.cand;
    const nd = node * d;
    const base = level * this.k;
    // The candidate nearest the middle of the box is the one the others are tested against.
    let zs = cand[base];
    let near = Infinity;
    let far = 0;
    let halfDiag = 0;
    for (let t = 0; t < d; t++) {
      const h = (hi[nd + t] - lo[nd + t]) / 2;
      halfDiag += h * h;
    }
    for (let c = 0; c < nc; c++) {
      const z = cand[base + c];
      let s = 0;
      for (let t = 0; t < d; t++) {
        const u = centers[z * d + t] - (lo[nd + t] + hi[nd + t]) / 2;
        s += u * u;
      }
      if (s < near) {
        near = s;
        zs = z;
      }
      if (s > far) far = s;
    }
    // Every squared distance between a candidate and a point or corner of the box is at most
    // r^2; each computed one is within (d + 2) * 2^-53 * r^2 of its exact value, so a gap
    // above this margin is real and the per-point comparison of plain Lloyd agrees with it.
    const r = Math.sqrt(far) + Math.sqrt(halfDiag);
    const margin = 1e-13 * (d + 3) * r * r;
    const next = base + this.k;
    let m = 0;
    for (let c = 0; c < nc; c++) {
      const z = cand[base + c];
      if (z !== zs) {
        // The corner of the box most in the direction z - zs is where z comes closest to
        // beating zs (the difference of squared distances is linear in the point).
        let gap = 0;
        for (let t = 0; t < d; t++) {
          const zt = centers[z * d + t];
          const st = centers[zs * d + t];
          const v = zt > st ? hi[nd + t] : lo[nd + t];
          const a = zt - v;
          const b = st - v;
          gap += a * a - b * b;
        }
        if (gap > margin) continue;
      }
      cand[next + m++] = z;
    }
    if (m === 1) this.whole(node, zs);
    else if (this.tree.child[node] < 0) this.leaf(node, next, m);
    else {
      this.visit(this.tree.child[node], level + 1, m);
      this.visit(this.tree.child[node] + 1, level + 1, m);
    }
  }

  /** Every point of the node goes to centre z. */
  private whole(node: number, z: number): void {
    const { d, start, end, sum } = this.tree;
    const s = start[node];
    const e = end[node];
    for (let t = 0; t < d; t++) this.sums[z * d + t] += sum[node * d + t];
    this.counts[z] += e - s;
    const unchanged = this.stamp[node] === this.pass - 1 && this.owner[node] === z;
    this.owner[node] = z;
    this.stamp[node] = this.pass;
    if (unchanged) return;
    const labels = this.labels;
    let changed = 0;
    for (let p = s; p < e; p++) {
      if (labels[p] !== z) {
        labels[p] = z;
        changed++;
      }
    }
    this.changed += changed;
  }

  /** Points of a leaf against the `m` candidates at `cand[from..]` (increasing cluster order). */
  private leaf(node: number, from: number, m: number): void {
    const { xs, d } = this.tree;
    const s = this.tree.start[node];
    const e = this.tree.end[node];
    const { centers, cand, sums, counts, labels } = this;
    let changed = 0;
    for (let p = s; p < e; p++) {
      const o = p * d;
      let best = Infinity;
      let bj = 0;
      if (d === 3) {
        const x0 = xs[o];
        const x1 = xs[o + 1];
        const x2 = xs[o + 2];
        for (let c = 0; c < m; c++) {
          const z = cand[from + c];
          const u = x0 - centers[3 * z];
          const v = x1 - centers[3 * z + 1];
          const w = x2 - centers[3 * z + 2];
          const sd = u * u + v * v + w * w;
          if (sd < best) {
            best = sd;
            bj = z;
          }
        }
      } else {
        for (let c = 0; c < m; c++) {
          const z = cand[from + c];
          let sd = 0;
          for (let t = 0; t < d; t++) {
            const u = xs[o + t] - centers[z * d + t];
            sd += u * u;
          }
          if (sd < best) {
            best = sd;
            bj = z;
          }
        }
      }
      counts[bj]++;
      for (let t = 0; t < d; t++) sums[bj * d + t] += xs[o + t];
      if (labels[p] !== bj) {
        labels[p] = bj;
        changed++;
      }
    }
    this.changed += changed;
  }
}
