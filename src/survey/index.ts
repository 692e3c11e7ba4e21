/**
 * Survey analytics: survey response tables, PLS path modelling (ECSI/ACSI), the 0–100
 * satisfaction index, Kano classification, importance–performance analysis, the satisfaction
 * trap and the survey report.
 * @module
 */
export type { SurveyData, SurveyScale, SurveyTable } from "./types.js";
export { ecsiModel, acsiModel, parsePlsModelJson } from "./model.js";
export type { PlsBlock, PlsMode, PlsModel, PlsPath, EcsiItems, AcsiItems } from "./model.js";
export { plsPathModel } from "./pls.js";
export type { PlsScheme, PlsMissing, PlsPathModelOptions, PlsPathCoefficient, PlsEffect, PlsHtmt, PlsResult } from "./pls.js";
export { plsBootstrap } from "./bootstrap.js";
export type { PlsBootstrapOptions, PlsBootstrapResult, BootstrapStat } from "./bootstrap.js";
export { satisfactionIndex, respondentIndex } from "./csi.js";
export type { SatisfactionIndexOptions, ConstructIndex, RespondentIndexOptions } from "./csi.js";
export { parseSurvey, parseSurveyCsv } from "./table.js";
export type { ParseSurveyOptions, SurveyIssue, SurveyReadResult } from "./table.js";
export { kanoCategory, kanoClassify, parseKanoCsv } from "./kano.js";
export type { KanoAnswer, KanoCategory, KanoResponse, KanoAttribute, ParseKanoCsvOptions } from "./kano.js";
export { importancePerformance, plsImportancePerformance } from "./ipa.js";
export type { IpaQuadrant, IpaInput, IpaPoint, IpaResult, ImportancePerformanceOptions, PlsImportancePerformanceOptions } from "./ipa.js";
export { expectationGaps } from "./gap.js";
export type { GapPair, ExpectationGapsOptions, AttributeGap } from "./gap.js";
export { joinSurveyCustomers } from "./join.js";
export type { SurveyCustomerJoin } from "./join.js";
export { satisfactionTrap } from "./trap.js";
export type { SatisfactionTrapOptions, SatisfactionTrapResult, TrapLevel } from "./trap.js";
export { surveyReport } from "./report.js";
export type { SurveyReportOptions } from "./report.js";
