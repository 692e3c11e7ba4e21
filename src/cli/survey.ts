/**
 * The `customer-analytics survey` command: satisfaction models from a survey export.
 * @module
 */

/** Usage of the survey command. @internal */
export const SURVEY_HELP = `customer-analytics survey <answers.csv> [options]   (not built yet)`;

/**
 * Run the survey command with its own arguments (after the word "survey"); returns the exit code
 * (0 success, 1 bad input, 2 bad arguments).
 * @internal
 */
export async function surveyMain(argv: readonly string[]): Promise<number> {
  process.stderr.write(`customer-analytics survey: not available yet (${argv.length} arguments)\n`);
  return 2;
}
