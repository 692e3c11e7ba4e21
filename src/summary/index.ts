/**
 * Customer summaries (RFM inputs) and calibration summaries (BG/NBD inputs) from transactions.
 * @module
 */
export * from "./summarize.js";
