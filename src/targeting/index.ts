/**
 * Targeting: whom to contact in a retention campaign under a budget, for what expected gain and
 * at what risk (see `docs/targeting.md`).
 * @module
 */
export { planRetentionCampaign } from "./plan.js";
export type {
  PlanRetentionCampaignOptions,
  CampaignCustomer,
  CampaignColumns,
  CampaignUpliftModel,
  BetaEffect,
  CampaignContact,
  SimulatedRange,
  RetentionCampaignPlan,
} from "./plan.js";
