import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { CustomerTable, DictionaryColumn } from "../core/table.js";

/**
 * One per-customer state column at one analysis date: customer ids and a dictionary-encoded
 * state per customer (an RFM segment, a 3D value group, a cluster, a lifecycle stage...).
 * `states.codes[k]` is the state of `ids[k]`; code `-1` means the customer has no state at that
 * date (read as absent, like a customer not listed).
 * @category Migration
 */
export interface StateColumn {
  /** Customer id per row (any strings; each at most once). */
  readonly ids: readonly string[];
  /** State per row, dictionary-encoded; `values` is the list of state names (order kept in the matrix). */
  readonly states: DictionaryColumn<string>;
}

/**
 * Options of {@link transitionMatrix}.
 * @category Migration
 */
export interface TransitionMatrixOptions {
  /** Row label for customers present only at the second date. Default `"(new)"`. */
  newState?: string;
  /** Column label for customers present only at the first date. Default `"(lost)"`. */
  lostState?: string;
}

/** Defaults of {@link TransitionMatrixOptions}. */
export const TRANSITION_MATRIX_DEFAULTS: Readonly<Required<TransitionMatrixOptions>> = Object.freeze({ newState: "(new)", lostState: "(lost)" });

/**
 * Result of {@link transitionMatrix}.
 * @category Migration
 */
export interface TransitionMatrix {
  /** Row labels: the first date's states (in `from.states.values` order), then `newState`. */
  from: string[];
  /** Column labels: the second date's states (in `to.states.values` order), then `lostState`. */
  to: string[];
  /** `counts[i][j]`: customers in state `from[i]` at the first date and `to[j]` at the second. The `(new)` row's `(lost)` cell is always 0. */
  counts: number[][];
  /** Row shares `counts[i][j] / rowTotals[i]`; a row with no customer has all shares 0 (listed in `emptyRows`), never NaN. Each other row sums to 1. */
  shares: number[][];
  /** Customers per row. */
  rowTotals: number[];
  /** Customers per column. */
  columnTotals: number[];
  /** Every customer counted once: present at either date. */
  customers: number;
  /** Customers in the same state at both dates (the diagonal over the states both dates share). */
  stayed: number;
  /** Rows (labels) with no customer: their shares are 0. */
  emptyRows: string[];
}

/** Validated view of a state column: id -> state code. */
function readStates(col: StateColumn, fn: string, option: string): Map<string, number> {
  if (col === null || typeof col !== "object" || !Array.isArray(col.ids) || col.states === null || typeof col.states !== "object" || !(col.states.codes instanceof Int32Array) || !Array.isArray(col.states.values)) {
    throw new InvalidOptionError(fn, option, col, "a StateColumn { ids, states: { codes: Int32Array, values } }");
  }
  const { ids } = col;
  const { codes, values } = col.states;
  if (codes.length !== ids.length) throw new InvalidOptionError(fn, option, `${codes.length} codes for ${ids.length} ids`, "one state code per id");
  const seen = new Set<string>();
  for (const v of values) {
    if (typeof v !== "string") throw new InvalidOptionError(fn, `${option}.states.values`, v, "state names (strings)");
    if (seen.has(v)) throw new InvalidOptionError(fn, `${option}.states.values`, v, "distinct state names");
    seen.add(v);
  }
  const out = new Map<string, number>();
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    const c = codes[k];
    if (typeof id !== "string") throw new InvalidRecordError(fn, { row: k + 1, field: `${option}.ids`, value: id, expected: "a string customer id" });
    if (out.has(id)) throw new InvalidRecordError(fn, { row: id, field: `${option}.ids`, value: id, expected: "each customer id once" });
    if (!(Number.isInteger(c) && c >= -1 && c < values.length)) throw new InvalidRecordError(fn, { row: id, field: `${option}.states`, value: c, expected: `a state code in -1..${values.length - 1}` });
    if (c >= 0) out.set(id, c);
  }
  return out;
}

/**
 * The transition matrix (counts and row shares) between two per-customer state columns taken
 * at two analysis dates.
 *
 * @remarks
 * Rows are the first date's states plus a `(new)` row (customers with a state only at the
 * second date); columns are the second date's states plus a `(lost)` column (customers with a
 * state only at the first date). Every customer present at either date is counted exactly once,
 * so the counts add up to `customers`. Row shares estimate the one-step transition
 * probabilities P(state at the second date | state at the first date); the `(lost)` share is
 * the churn share of each state. States are matched by name, so the two columns may have
 * different state lists (a state missing at one date has an all-zero row or column).
 * Complexity O(n) in the number of customers.
 *
 * @param from - the states at the first analysis date.
 * @param to - the states at the second analysis date.
 * @param options - see {@link TransitionMatrixOptions}.
 * @returns counts, shares, totals and the labels.
 * @throws {@link InvalidOptionError} for a malformed column, or a `newState`/`lostState` that is also a state name.
 * @throws {@link InvalidRecordError} for an id listed twice or a state code out of range (names the customer).
 * @example
 * ```ts
 * const from = { ids: ["a", "b", "c"], states: { codes: Int32Array.of(0, 0, 1), values: ["Gold", "Silver"] } };
 * const to = { ids: ["a", "b", "d"], states: { codes: Int32Array.of(0, 1, 1), values: ["Gold", "Silver"] } };
 * const m = transitionMatrix(from, to);
 * [m.from, m.to, m.counts, m.shares[0], m.customers];
 * //=> [["Gold", "Silver", "(new)"], ["Gold", "Silver", "(lost)"], [[1, 1, 0], [0, 0, 1], [0, 1, 0]], [0.5, 0.5, 0], 4]
 * ```
 * @category Migration
 */
export function transitionMatrix(from: StateColumn, to: StateColumn, options: TransitionMatrixOptions = {}): TransitionMatrix {
  const fn = "transitionMatrix";
  const o = withDefaults(TRANSITION_MATRIX_DEFAULTS, options);
  const a = readStates(from, fn, "from");
  const b = readStates(to, fn, "to");
  for (const key of ["newState", "lostState"] as const) {
    const v = o[key];
    if (typeof v !== "string" || from.states.values.includes(v) || to.states.values.includes(v)) throw new InvalidOptionError(fn, key, v, "a string that is not a state name");
  }
  const nf = from.states.values.length;
  const nt = to.states.values.length;
  const counts = Array.from({ length: nf + 1 }, () => new Array<number>(nt + 1).fill(0));
  for (const [id, i] of a) {
    const j = b.get(id);
    counts[i][j === undefined ? nt : j]++;
  }
  for (const [id, j] of b) if (!a.has(id)) counts[nf][j]++;
  const fromLabels = [...from.states.values, o.newState];
  const toLabels = [...to.states.values, o.lostState];
  const rowTotals = counts.map((row) => row.reduce((s, x) => s + x, 0));
  const columnTotals = toLabels.map((_, j) => counts.reduce((s, row) => s + row[j], 0));
  const shares = counts.map((row, i) => row.map((x) => (rowTotals[i] > 0 ? x / rowTotals[i] : 0)));
  let stayed = 0;
  for (let i = 0; i < nf; i++) {
    const j = to.states.values.indexOf(from.states.values[i]);
    if (j >= 0) stayed += counts[i][j];
  }
  return {
    from: fromLabels,
    to: toLabels,
    counts,
    shares,
    rowTotals,
    columnTotals,
    customers: rowTotals.reduce((s, x) => s + x, 0),
    stayed,
    emptyRows: fromLabels.filter((_, i) => rowTotals[i] === 0),
  };
}

/**
 * Numeric per-customer features at one date, to show what changed for movers: either a
 * `CustomerTable` (its numeric columns by field name) or `{ ids, columns }` with any column
 * names.
 * @category Migration
 */
export type FeatureTable = CustomerTable | MoverFeatureColumns;

/**
 * Numeric per-customer columns under any names (see {@link FeatureTable}).
 * @category Migration
 */
export interface MoverFeatureColumns {
  /** Customer id per row. */
  readonly ids: readonly string[];
  /** Column name to one number per row (`NaN` = no value). */
  readonly columns: ReadonlyMap<string, ArrayLike<number>>;
}

/** The `CustomerTable` fields read as features by default. */
export const CUSTOMER_TABLE_FEATURES: readonly string[] = Object.freeze(["recencyDays", "frequency", "totalSpend", "averageOrderValue", "tenureDays", "meanGapDays", "returnAmount"]);

/**
 * Options of {@link migrationMovers}.
 * @category Migration
 */
export interface MigrationMoversOptions {
  /** Value per customer id shown with each mover (e.g. CLV or profit). Default: none (`value: null`), unless `features.to` is a `CustomerTable`, whose `totalSpend` is used. */
  value?: ReadonlyMap<string, number>;
  /** Features at both dates: each mover's before/after values and the ones that changed. Default: none. */
  features?: {
    /** Features at the first date. */
    from: FeatureTable;
    /** Features at the second date. */
    to: FeatureTable;
    /** Names to compare. Default: every column of `columns`, or {@link CUSTOMER_TABLE_FEATURES} for a `CustomerTable`. */
    names?: readonly string[];
  };
  /** See {@link TransitionMatrixOptions}: the name of the "absent at the first date" state. Default `"(new)"`. */
  newState?: string;
  /** The name of the "absent at the second date" state. Default `"(lost)"`. */
  lostState?: string;
}

/**
 * One feature of a mover at both dates.
 * @category Migration
 */
export interface FeatureChange {
  /** Feature name. */
  feature: string;
  /** Value at the first date; `null` when the customer or value is absent then. */
  before: number | null;
  /** Value at the second date; `null` when absent. */
  after: number | null;
  /** `after - before`, `null` when either is absent. */
  change: number | null;
}

/**
 * One customer who moved between the two named states.
 * @category Migration
 */
export interface Mover {
  /** Customer id. */
  customerId: string;
  /** The value from the `value` option (or the second date's `totalSpend`); `null` when none. */
  value: number | null;
  /** Every compared feature, in `names` order. */
  features: FeatureChange[];
  /** The names of the features whose value differs between the dates (absent on one side counts as changed). */
  changed: string[];
}

/** Reads one feature table as name -> (id -> value). */
function featureLookup(t: FeatureTable, names: readonly string[] | undefined, fn: string, option: string): { names: string[]; get: (id: string, name: string) => number | null } {
  if (t === null || typeof t !== "object" || !Array.isArray(t.ids)) throw new InvalidOptionError(fn, option, t, "a CustomerTable or { ids, columns: Map }");
  const row = new Map<string, number>();
  t.ids.forEach((id, k) => row.set(id, k));
  const cols = new Map<string, ArrayLike<number>>();
  if ("columns" in t && t.columns instanceof Map) for (const [k, v] of t.columns) cols.set(k, v);
  else for (const k of CUSTOMER_TABLE_FEATURES) cols.set(k, (t as unknown as Record<string, ArrayLike<number>>)[k]);
  const list = names ? [...names] : [...cols.keys()];
  for (const n of list) {
    const c = cols.get(n);
    if (!c || typeof c.length !== "number" || c.length !== t.ids.length) throw new InvalidOptionError(fn, `${option}: feature "${n}"`, c === undefined ? undefined : `length ${c.length}`, `a numeric column with one value per id (${t.ids.length})`);
  }
  return {
    names: list,
    get: (id, name) => {
      const k = row.get(id);
      if (k === undefined) return null;
      const v = (cols.get(name) as ArrayLike<number>)[k];
      return Number.isFinite(v) ? v : null;
    },
  };
}

/**
 * The customers who moved from one named state at the first date to another at the second,
 * with their value and the features that changed.
 *
 * @remarks
 * `fromState` may be the `newState` label (customers absent at the first date) and `toState` the
 * `lostState` label (absent at the second), so new and lost customers are listed the same way.
 * Movers are sorted by value, highest first (customers without a value last), then by id.
 * A feature absent on one side (a new or lost customer, a `NaN` cell) is `null`, never `NaN`.
 *
 * @param from - the states at the first date.
 * @param to - the states at the second date.
 * @param fromState - the state at the first date (or the `newState` label).
 * @param toState - the state at the second date (or the `lostState` label).
 * @param options - see {@link MigrationMoversOptions}.
 * @returns the movers.
 * @throws {@link InvalidOptionError} when a state name is not a state of its date, or a feature column is missing.
 * @example
 * ```ts
 * const from = { ids: ["a", "b"], states: { codes: Int32Array.of(0, 0), values: ["Champions", "At Risk"] } };
 * const to = { ids: ["a", "b"], states: { codes: Int32Array.of(1, 0), values: ["Champions", "At Risk"] } };
 * const features = {
 *   from: { ids: ["a", "b"], columns: new Map([["recencyDays", [3, 5]], ["frequency", [8, 9]]]) },
 *   to: { ids: ["a", "b"], columns: new Map([["recencyDays", [95, 4]], ["frequency", [8, 11]]]) },
 * };
 * const [m] = migrationMovers(from, to, "Champions", "At Risk", { value: new Map([["a", 420]]), features });
 * [m.customerId, m.value, m.changed, m.features[0]];
 * //=> ["a", 420, ["recencyDays"], { feature: "recencyDays", before: 3, after: 95, change: 92 }]
 * ```
 * @category Migration
 */
export function migrationMovers(from: StateColumn, to: StateColumn, fromState: string, toState: string, options: MigrationMoversOptions = {}): Mover[] {
  const fn = "migrationMovers";
  const o = withDefaults(TRANSITION_MATRIX_DEFAULTS, { newState: options.newState, lostState: options.lostState });
  const a = readStates(from, fn, "from");
  const b = readStates(to, fn, "to");
  const fromNew = fromState === o.newState;
  const toLost = toState === o.lostState;
  const i = from.states.values.indexOf(fromState);
  const j = to.states.values.indexOf(toState);
  if (!fromNew && i < 0) throw new InvalidOptionError(fn, "fromState", fromState, `one of ${JSON.stringify([...from.states.values, o.newState])}`);
  if (!toLost && j < 0) throw new InvalidOptionError(fn, "toState", toState, `one of ${JSON.stringify([...to.states.values, o.lostState])}`);
  if (fromNew && toLost) throw new InvalidOptionError(fn, "toState", toState, "a state of the second date (no customer is both new and lost)");
  const ids: string[] = [];
  if (fromNew) {
    for (const [id, c] of b) if (c === j && !a.has(id)) ids.push(id);
  } else {
    for (const [id, c] of a) {
      if (c !== i) continue;
      const d = b.get(id);
      if (toLost ? d === undefined : d === j) ids.push(id);
    }
  }
  const f = options.features;
  const fa = f ? featureLookup(f.from, f.names, fn, "features.from") : undefined;
  const fb = f ? featureLookup(f.to, f.names ?? fa?.names, fn, "features.to") : undefined;
  const names = fa?.names ?? [];
  let value: ((id: string) => number | null) | undefined;
  if (options.value !== undefined) {
    if (!(options.value instanceof Map)) throw new InvalidOptionError(fn, "value", options.value, "a Map from customer id to a number");
    const v = options.value;
    value = (id) => {
      const x = v.get(id);
      return typeof x === "number" && Number.isFinite(x) ? x : null;
    };
  } else if (f && !("columns" in f.to) && fb) {
    const get = featureLookup(f.to, ["totalSpend"], fn, "features.to").get;
    value = (id) => get(id, "totalSpend");
  }
  const out: Mover[] = ids.map((customerId) => {
    const features = names.map((feature) => {
      const before = fa ? fa.get(customerId, feature) : null;
      const after = fb ? fb.get(customerId, feature) : null;
      return { feature, before, after, change: before !== null && after !== null ? after - before : null };
    });
    return {
      customerId,
      value: value ? value(customerId) : null,
      features,
      changed: features.filter((x) => x.before !== x.after).map((x) => x.feature),
    };
  });
  out.sort((x, y) => (y.value ?? -Infinity) - (x.value ?? -Infinity) || (x.customerId < y.customerId ? -1 : x.customerId > y.customerId ? 1 : 0));
  return out;
}

/**
 * A {@link StateColumn} from a `Map` of customer id to state name (`null` = no state): for
 * states kept as records, such as cluster assignments or lifecycle stages.
 *
 * @remarks
 * States are coded in order of first appearance unless `order` gives the list (states not in
 * it are appended in order of appearance).
 *
 * @param states - customer id to state name, or `null`.
 * @param order - the state list to keep first. Default: order of first appearance.
 * @returns the column (ids in the `Map`'s order).
 * @throws {@link InvalidRecordError} for a state that is not a string or `null` (names the customer).
 * @example
 * ```ts
 * const c = stateColumn(new Map([["a", "cluster 2"], ["b", "cluster 1"], ["c", null]]), ["cluster 1", "cluster 2"]);
 * [c.ids, [...c.states.codes], c.states.values];
 * //=> [["a", "b", "c"], [1, 0, -1], ["cluster 1", "cluster 2"]]
 * ```
 * @category Migration
 */
export function stateColumn(states: ReadonlyMap<string, string | null>, order: readonly string[] = []): StateColumn {
  const fn = "stateColumn";
  if (!(states instanceof Map)) throw new InvalidOptionError(fn, "states", states, "a Map from customer id to state name");
  const values = [...new Set(order)];
  const index = new Map(values.map((v, k) => [v, k]));
  const ids: string[] = [];
  const codes = new Int32Array(states.size);
  let k = 0;
  for (const [id, s] of states) {
    ids.push(id);
    if (s === null || s === undefined) codes[k++] = -1;
    else if (typeof s !== "string") throw new InvalidRecordError(fn, { row: id, field: "state", value: s, expected: "a state name or null" });
    else {
      let c = index.get(s);
      if (c === undefined) {
        index.set(s, (c = values.length));
        values.push(s);
      }
      codes[k++] = c;
    }
  }
  return { ids, states: { codes, values } };
}
