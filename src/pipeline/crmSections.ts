/**
 * Report sections of the CRM manager's steps (profitability, cohorts, lifecycle); each returns
 * null when its step did not run.
 * @module
 */
import type { AnalysisResult } from "./analyze.js";
import type { ReportSection } from "./html.js";

type Builder = (r: AnalysisResult) => ReportSection | null;

/** The CRM section builders in report order. @internal */
export const CRM_SECTION_BUILDERS: readonly Builder[] = [];
