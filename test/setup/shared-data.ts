import { existsSync } from "node:fs";
import { resolve } from "node:path";

/**
 * Vitest global setup: the reference tests read the public datasets in `../shared/data`
 * (CDNOW, Groceries, T10I4D100K), which live beside the repository, not in it. Without them the
 * run stops here with one message saying where they are expected, instead of a dozen
 * file-not-found failures.
 */
export default function setup(): void {
  const dir = resolve("../shared/data");
  const missing = ["cdnow/CDNOW_sample.txt", "groceries", "t10i4d100k"].filter((f) => !existsSync(resolve(dir, f)));
  if (missing.length > 0) {
    throw new Error(
      `The tests need the shared datasets beside this repository: ${dir} (missing: ${missing.join(", ")}). ` +
        "Check out the project so that shared/ sits next to this folder (../shared/data/cdnow, ../shared/data/groceries, ../shared/data/t10i4d100k); see README.md.",
    );
  }
}
