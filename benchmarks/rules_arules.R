# Baseline for benchmarks/rules.bench.ts: R arules' C implementations (Borgelt's eclat and
# apriori) on the same FIMI file and supports, CPU time per call as R's system.time reports it
# (user + system of this process; reading the file is not timed).
#
#   Rscript benchmarks/rules_arules.R FILE SUPPORTS [REPEAT] [ALGORITHMS]
#     FILE        FIMI file: one basket per line, items separated by spaces
#     SUPPORTS    comma-separated minimum supports, e.g. 0.2,0.1,0.05
#     REPEAT      calls per support; the best CPU time is printed (default 3; a call above
#                 5 CPU s is not repeated)
#     ALGORITHMS  comma-separated: eclat, apriori (default eclat)
#
# Prints one line per algorithm and support:
#   RESULT <algorithm> <support> <itemsets> <best CPU seconds>
# and "ARULES <version>" first. maxlen = 1000 so that no itemset is cut (arules' default 10
# would drop long ones on dense data). Exits with status 2 when arules is not installed; add
# its library with R_LIBS=/path/to/lib.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript rules_arules.R FILE SUPPORTS [REPEAT] [ALGORITHMS]")
if (!suppressWarnings(suppressMessages(requireNamespace("arules", quietly = TRUE)))) {
  cat("NO_ARULES\n")
  quit(status = 2)
}
suppressMessages(library(arules))
file <- args[1]
supports <- as.numeric(strsplit(args[2], ",")[[1]])
repeats <- if (length(args) >= 3) as.integer(args[3]) else 3L
algorithms <- if (length(args) >= 4) strsplit(args[4], ",")[[1]] else "eclat"
cat("ARULES", as.character(packageVersion("arules")), "\n")
tr <- read.transactions(file, format = "basket", sep = " ")
for (algorithm in algorithms) {
  for (s in supports) {
    best <- Inf
    n <- NA
    for (r in seq_len(repeats)) {
      gc()
      t <- system.time({
        res <- if (algorithm == "eclat") {
          eclat(tr, parameter = list(supp = s, maxlen = 1000), control = list(verbose = FALSE))
        } else {
          apriori(tr, parameter = list(supp = s, maxlen = 1000, target = "frequent itemsets"), control = list(verbose = FALSE))
        }
      })
      best <- min(best, t[["user.self"]] + t[["sys.self"]])
      n <- length(res)
      rm(res)
      if (best > 5) break
    }
    cat("RESULT", algorithm, s, n, sprintf("%.3f", best), "\n")
  }
}
