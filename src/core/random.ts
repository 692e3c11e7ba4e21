/**
 * Seeded random numbers and samplers: they live in `src/numeric/random.ts` (one kernel per
 * concept); this module re-exports them so existing imports keep working.
 * @module
 */
export { createRng, sampleBeta, sampleExponential, sampleGamma, sampleInt, sampleNormal, samplePoisson, sampleUniform, type Rng, type Seed } from "../numeric/random.js";
