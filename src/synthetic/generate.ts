import { InvalidOptionError } from "../core/errors.js";
import { createRng, sampleBeta, sampleExponential, sampleGamma, samplePoisson, sampleInt, type Rng, type Seed } from "../core/random.js";
import { dayToDate, toEpochDay } from "../core/time.js";
import type { DateInput, Transaction } from "../core/types.js";

/**
 * Options of {@link generateTransactions}. Every field has a default except `seed`.
 * @category Synthetic data
 */
export interface GenerateTransactionsOptions {
  /** Number of customers. Default 1,000. */
  customers?: number;
  /** Seed of the generator (required: the same seed gives the same data everywhere). */
  seed: Seed;
  /** First day of the store's history. Default `"2023-01-01"`. */
  start?: DateInput;
  /** Length of the history in days. Default 730. */
  days?: number;
  /** Customers make their first purchase uniformly over the first this-many days. Default 365. */
  acquisitionDays?: number;
  /** Gamma heterogeneity of purchase rates per week: shape r and rate alpha (BG/NBD's r, alpha). Default `{ r: 0.75, alpha: 4 }`. */
  purchaseRate?: {
    /** Gamma shape r. */
    r: number;
    /** Gamma rate alpha (weeks). */
    alpha: number;
  };
  /** Beta heterogeneity of the dropout probability after each purchase (BG/NBD's a, b). Default `{ a: 0.8, b: 4 }`. */
  dropout?: {
    /** Beta a. */
    a: number;
    /** Beta b. */
    b: number;
  };
  /** Gamma-Gamma spend: order value ~ Gamma(p, nu) with nu ~ Gamma(q, gamma). Default `{ p: 6, q: 4, gamma: 15 }` (mean order value 30). */
  spend?: {
    /** Shape of the order value given nu. */
    p: number;
    /** Shape of nu. */
    q: number;
    /** Rate of nu. */
    gamma: number;
  };
  /** Generate item baskets with co-purchase structure. Default `true`. */
  items?: boolean;
  /** Probability that an order is followed by a partial return (a negative line). Default 0.02. */
  returnRate?: number;
  /**
   * Whether a customer can drop out right after the first order. `true` (default): the dropout
   * coin is tossed after every order, which gives more one-time buyers, as in most retail data,
   * but is not exactly BG/NBD (fitting BG/NBD then does not return `purchaseRate`/`dropout`).
   * `false`: tossed only after repeat orders, exactly the BG/NBD process (Fader, Hardie & Lee
   * 2005), so `fitBgNbd` recovers r, alpha, a and b.
   */
  dropoutAfterFirstOrder?: boolean;
}

/** The store's catalogue: items by category, and baskets that are bought together. */
const CATALOGUE: readonly string[] = [
  "whole milk", "yogurt", "butter", "cheese", "eggs", "bread", "rolls", "croissant", "jam", "honey",
  "coffee", "tea", "sugar", "cereal", "pasta", "tomato sauce", "parmesan", "rice", "olive oil", "garlic",
  "chicken", "beef", "sausage", "fish", "potatoes", "onions", "carrots", "apples", "bananas", "citrus",
  "beer", "wine", "soda", "water", "chips", "salsa", "chocolate", "cookies", "diapers", "baby wipes",
  "shampoo", "conditioner", "toothpaste", "toothbrush", "detergent", "paper towels",
];

const BUNDLES: readonly (readonly string[])[] = [
  ["pasta", "tomato sauce", "parmesan"],
  ["coffee", "whole milk", "sugar"],
  ["bread", "butter", "jam"],
  ["beer", "chips", "salsa"],
  ["wine", "cheese"],
  ["diapers", "baby wipes", "beer"],
  ["shampoo", "conditioner"],
  ["toothpaste", "toothbrush"],
  ["chicken", "rice", "onions"],
  ["cereal", "whole milk", "bananas"],
];

const REGIONS = ["north", "south", "east", "west"] as const;
const AGE_BANDS = ["18-29", "30-39", "40-49", "50-64", "65+"] as const;

/** Popularity weights (Zipf-like) as a cumulative table over the catalogue. */
function popularityTable(): Float64Array {
  const cum = new Float64Array(CATALOGUE.length);
  let s = 0;
  for (let i = 0; i < CATALOGUE.length; i++) {
    s += 1 / Math.pow(i + 1, 0.7);
    cum[i] = s;
  }
  for (let i = 0; i < cum.length; i++) cum[i] /= s;
  return cum;
}

function pickPopular(rng: Rng, cum: Float64Array): string {
  const u = rng.next();
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return CATALOGUE[lo];
}

function basket(rng: Rng, cum: Float64Array): string[] {
  const chosen = new Set<string>();
  if (rng.next() < 0.6) {
    const bundle = BUNDLES[sampleInt(rng, BUNDLES.length)];
    for (const item of bundle) if (rng.next() < 0.85) chosen.add(item);
  }
  const extra = samplePoisson(rng, 1.5);
  for (let k = 0; k < extra; k++) chosen.add(pickPopular(rng, cum));
  if (chosen.size === 0) chosen.add(pickPopular(rng, cum));
  return [...chosen];
}

const positive = (x: unknown): boolean => typeof x === "number" && Number.isFinite(x) && x > 0;

/**
 * Generate a realistic, seeded synthetic store: customers who buy at heterogeneous rates and
 * drop out (the BG/NBD story; exactly BG/NBD with `dropoutAfterFirstOrder: false`), spend with
 * Gamma-Gamma heterogeneity, put items in baskets with real co-purchase structure (so
 * association rules find something), and now and then return goods.
 *
 * @remarks
 * Per customer: first purchase day uniform over `acquisitionDays`; purchase rate
 * lambda ~ Gamma(r, 1/alpha) per week; dropout probability p ~ Beta(a, b); after each purchase
 * (after each repeat purchase with `dropoutAfterFirstOrder: false`) the customer drops out with
 * probability p, otherwise waits Exp(lambda) weeks. Each order's value ~ Gamma(p, 1/nu) with
 * the customer's nu ~ Gamma(q, 1/gamma), rounded to cents. Baskets
 * draw one of ten bundles (e.g. pasta, tomato sauce, parmesan) 60% of the time, each bundle
 * item with probability 0.85, plus Poisson(1.5) items by Zipf popularity from a 46-item
 * catalogue. A return is a separate order (`R...`) 1-14 days later with 20-100% of the order's
 * value, negative. Each customer has a `region` and an `ageBand` attribute and a preferred
 * channel. Output is sorted by date, then customer id, then order id.
 *
 * @param options - see {@link GenerateTransactionsOptions}.
 * @returns the transactions.
 * @throws {@link InvalidOptionError} for a missing seed or invalid parameter.
 * @example
 * ```ts
 * const tx = generateTransactions({ customers: 100, seed: 7 });
 * tx.length === generateTransactions({ customers: 100, seed: 7 }).length;
 * //=> true
 * ```
 * @category Synthetic data
 */
export function generateTransactions(options: GenerateTransactionsOptions): Transaction[] {
  const fn = "generateTransactions";
  if (options === undefined || options.seed === undefined) throw new InvalidOptionError(fn, "seed", undefined, "a number or string seed");
  const customers = options.customers ?? 1000;
  if (!Number.isInteger(customers) || customers < 0) throw new InvalidOptionError(fn, "customers", customers, "a non-negative integer");
  const days = options.days ?? 730;
  if (!Number.isInteger(days) || days < 1) throw new InvalidOptionError(fn, "days", days, "a positive integer");
  const acquisitionDays = options.acquisitionDays ?? 365;
  if (!Number.isInteger(acquisitionDays) || acquisitionDays < 1 || acquisitionDays > days) {
    throw new InvalidOptionError(fn, "acquisitionDays", acquisitionDays, `an integer in 1..${days}`);
  }
  const { r, alpha } = options.purchaseRate ?? { r: 0.75, alpha: 4 };
  const { a, b } = options.dropout ?? { a: 0.8, b: 4 };
  const { p, q, gamma } = options.spend ?? { p: 6, q: 4, gamma: 15 };
  for (const [name, v] of Object.entries({ "purchaseRate.r": r, "purchaseRate.alpha": alpha, "dropout.a": a, "dropout.b": b, "spend.p": p, "spend.q": q, "spend.gamma": gamma })) {
    if (!positive(v)) throw new InvalidOptionError(fn, name, v, "a positive number");
  }
  const returnRate = options.returnRate ?? 0.02;
  if (!(returnRate >= 0 && returnRate <= 1)) throw new InvalidOptionError(fn, "returnRate", returnRate, "a probability in [0, 1]");
  const withItems = options.items ?? true;
  const dropAfterFirst = options.dropoutAfterFirstOrder ?? true;
  if (typeof dropAfterFirst !== "boolean") throw new InvalidOptionError(fn, "dropoutAfterFirstOrder", dropAfterFirst, "true or false");
  const start = toEpochDay(options.start ?? "2023-01-01", fn, "start");
  const end = start + days - 1;

  const rng = createRng(options.seed);
  const cum = popularityTable();
  const width = String(Math.max(customers, 1)).length;
  const out: Transaction[] = [];
  let orderNo = 0;
  for (let c = 0; c < customers; c++) {
    const customerId = `C${String(c + 1).padStart(width, "0")}`;
    const lambda = sampleGamma(rng, r, 1 / alpha) / 7; // per day
    const pDrop = sampleBeta(rng, a, b);
    const nu = sampleGamma(rng, q, 1 / gamma);
    const attributes = Object.freeze({ region: REGIONS[sampleInt(rng, REGIONS.length)], ageBand: AGE_BANDS[sampleInt(rng, AGE_BANDS.length)] });
    const onlineShare = rng.next();
    let t = start + rng.next() * acquisitionDays;
    const firstOrder = orderNo + 1;
    for (;;) {
      const day = Math.floor(t);
      if (day > end) break;
      orderNo++;
      const orderId = `O${orderNo}`;
      const amount = Math.max(0.01, Math.round(sampleGamma(rng, p, 1 / nu) * 100) / 100);
      const channel = rng.next() < onlineShare ? "online" : "store";
      const tx: { -readonly [K in keyof Transaction]: Transaction[K] } = { customerId, date: dayToDate(day), amount, orderId, channel, attributes };
      const items = withItems ? basket(rng, cum) : undefined;
      if (items) tx.items = items;
      out.push(tx);
      if (rng.next() < returnRate) {
        const rday = day + 1 + sampleInt(rng, 14);
        if (rday <= end) {
          const back = Math.round(amount * (0.2 + 0.8 * rng.next()) * 100) / 100;
          const rtx: { -readonly [K in keyof Transaction]: Transaction[K] } = { customerId, date: dayToDate(rday), amount: -Math.max(0.01, back), orderId: `R${orderNo}`, channel, attributes };
          if (items) rtx.items = [items[sampleInt(rng, items.length)]];
          out.push(rtx);
        }
      }
      const drop = (dropAfterFirst || orderNo > firstOrder) && rng.next() < pDrop;
      if (drop || lambda <= 0) break;
      t += sampleExponential(rng, lambda);
    }
  }
  out.sort((x, y) => {
    const d = x.date.getTime() - y.date.getTime();
    if (d !== 0) return d;
    if (x.customerId !== y.customerId) return x.customerId < y.customerId ? -1 : 1;
    const xo = x.orderId as string;
    const yo = y.orderId as string;
    return xo < yo ? -1 : xo > yo ? 1 : 0;
  });
  return out;
}
