/**
 * Seeded synthetic retention experiments with a known, heterogeneous treatment effect: the
 * ground truth for testing and demonstrating uplift models.
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { createRng, type Seed } from "../numeric/random.js";

/**
 * Options of {@link simulateUpliftExperiment}.
 * @category Uplift
 */
export interface SimulateUpliftExperimentOptions {
  /** Number of customers, an integer >= 1. Default 2,000. */
  customers?: number;
  /** Probability that a customer is treated (independent draws), in (0, 1). Default 0.5. */
  treatedShare?: number;
  /** Strength of the treatment effect on the log-odds scale (0 = no effect for anybody). Default 1. */
  effect?: number;
  /** Seed. Default 42. */
  seed?: Seed;
}

const DEFAULTS = Object.freeze({ customers: 2000, treatedShare: 0.5, effect: 1, seed: 42 as Seed });

/**
 * Result of {@link simulateUpliftExperiment}: the observed experiment plus the truth.
 * @category Uplift
 */
export interface SimulatedUpliftExperiment {
  /** Feature names: `["x1", "x2", "x3", "x4"]`. */
  features: string[];
  /** Feature columns x1..x4, each uniform on [0, 1). */
  columns: {
    /** Raises P(stay) in both groups. */
    x1: Float64Array;
    /** Lowers P(stay) in both groups. */
    x2: Float64Array;
    /** Drives the effect of the contact: positive above 0.35, negative below. */
    x3: Float64Array;
    /** Noise: no influence. */
    x4: Float64Array;
  };
  /** 1 = treated (contacted). */
  treatment: Uint8Array;
  /** 1 = stayed (the desired outcome), drawn with the probability of the customer's group. */
  outcome: Uint8Array;
  /** True P(stay | control). */
  pControl: Float64Array;
  /** True P(stay | treated). */
  pTreated: Float64Array;
  /** True uplift pTreated - pControl. */
  trueUplift: Float64Array;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * Simulate a randomised retention campaign whose effect differs between customers and is known.
 *
 * @remarks
 * Each customer has four features x1..x4 ~ U[0, 1). Without contact the customer stays with
 * P(stay | control) = sigmoid(0.3 + 1.5 x1 - 1.0 x2); a contact adds g = `effect` x 2 (x3 - 0.35)
 * to the log-odds: P(stay | treated) = sigmoid(0.3 + 1.5 x1 - 1.0 x2 + g). So the contact helps
 * customers with x3 > 0.35, annoys those below (a negative uplift), the size of the effect also
 * depends on the baseline (x1, x2), and x4 is noise. Treatment is a Bernoulli(`treatedShare`)
 * draw per customer; the outcome a Bernoulli draw with the probability of the customer's group.
 * Draws per customer, in order: x1, x2, x3, x4, treatment, outcome (six uniforms of the seeded
 * generator).
 *
 * @param options - see {@link SimulateUpliftExperimentOptions}.
 * @returns features, treatment, outcome and the true probabilities and uplift.
 * @throws {@link InvalidOptionError} for a bad count, share, effect or seed.
 * @example
 * ```ts
 * const e = simulateUpliftExperiment({ customers: 3, seed: 1 });
 * [Array.from(e.treatment), Array.from(e.trueUplift, (u) => Number(u.toFixed(3)))];
 * //=> [[1, 1, 1], [0.048, 0.066, 0.094]]
 * ```
 * @category Uplift
 */
export function simulateUpliftExperiment(options: SimulateUpliftExperimentOptions = {}): SimulatedUpliftExperiment {
  const fn = "simulateUpliftExperiment";
  const o = withDefaults(DEFAULTS, options);
  if (!(Number.isInteger(o.customers) && o.customers >= 1 && o.customers <= 1e8)) throw new InvalidOptionError(fn, "customers", o.customers, "an integer in [1, 100000000]");
  if (!(typeof o.treatedShare === "number" && o.treatedShare > 0 && o.treatedShare < 1)) throw new InvalidOptionError(fn, "treatedShare", o.treatedShare, "a share in (0, 1)");
  if (!(typeof o.effect === "number" && Number.isFinite(o.effect))) throw new InvalidOptionError(fn, "effect", o.effect, "a finite number (0 = no effect)");
  if (!(typeof o.seed === "string" || (typeof o.seed === "number" && Number.isFinite(o.seed)))) throw new InvalidOptionError(fn, "seed", o.seed, "a finite number or a string");
  const rng = createRng(o.seed);
  const n = o.customers;
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const x3 = new Float64Array(n);
  const x4 = new Float64Array(n);
  const treatment = new Uint8Array(n);
  const outcome = new Uint8Array(n);
  const pControl = new Float64Array(n);
  const pTreated = new Float64Array(n);
  const trueUplift = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = rng.next();
    x2[i] = rng.next();
    x3[i] = rng.next();
    x4[i] = rng.next();
    const base = 0.3 + 1.5 * x1[i] - 1.0 * x2[i];
    pControl[i] = sigmoid(base);
    pTreated[i] = sigmoid(base + o.effect * 2 * (x3[i] - 0.35));
    trueUplift[i] = pTreated[i] - pControl[i];
    treatment[i] = rng.next() < o.treatedShare ? 1 : 0;
    outcome[i] = rng.next() < (treatment[i] ? pTreated[i] : pControl[i]) ? 1 : 0;
  }
  return { features: ["x1", "x2", "x3", "x4"], columns: { x1, x2, x3, x4 }, treatment, outcome, pControl, pTreated, trueUplift };
}
