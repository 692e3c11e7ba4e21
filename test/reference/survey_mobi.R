# Reference values for src/survey (PLS path modelling) on the ECSI `mobi` data.
#
# Peer library: plspm 0.4.9 (Sanchez, Trinchera, Russolillo; GPL-3), installed from its GitHub
# source (github:gastonstat/plspm, commit bd21cb1) with its dependencies tester, turner (GitHub)
# and diagram (github:cran/diagram), shape and amap (Debian r-cran-*), into R_LIBS_USER=/work/rlib:
#   R CMD INSTALL -l /work/rlib tester turner diagram plspm
# Run from the repository root:
#   R_LIBS_USER=/work/rlib Rscript test/reference/survey_mobi.R
# Writes test/reference/survey_mobi.json.
#
# plspm gives outer weights, loadings, path coefficients, R2, AVE, Cronbach's alpha, effects and
# scores. Three quantities are computed here in base R from plspm's own output because plspm
# defines them differently from seminr/SmartPLS (the definitions our library follows):
#   rho_c  = (sum l)^2 / ((sum l)^2 + sum(1 - l^2)) with the PLS loadings l (plspm's DG.rho uses
#            the first principal component instead of the PLS composite);
#   rho_A  = Dijkstra & Henseler (2015): (w'w)^2 w'(S - diag S)w / w'(ww' - diag ww')w;
#   HTMT   = Henseler, Ringle & Sarstedt (2015), mean heterotrait correlation over the geometric
#            mean of the two mean monotrait correlations (a one-item block counts as 1).
# Convergence: tol = 1e-14 on plspm's criterion (sum of squared weight changes) so the frozen
# values are converged far below the 1e-4 test tolerance.
suppressMessages({ library(plspm); library(jsonlite) })

mobi <- read.csv("../shared/data/mobi/mobi.csv")
lvs <- c("Image", "Expectation", "Quality", "Value", "Satisfaction", "Complaints", "Loyalty")
blocks <- list(
  Image = c("IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"),
  Expectation = c("CUEX1", "CUEX2", "CUEX3"),
  Quality = c("PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7"),
  Value = c("PERV1", "PERV2"),
  Satisfaction = c("CUSA1", "CUSA2", "CUSA3"),
  Complaints = c("CUSCO"),
  Loyalty = c("CUSL1", "CUSL2", "CUSL3"))
P <- matrix(0, 7, 7, dimnames = list(lvs, lvs))
edge <- function(from, to) P[to, from] <<- 1
edge("Image", "Expectation"); edge("Image", "Satisfaction"); edge("Image", "Loyalty")
edge("Expectation", "Quality"); edge("Expectation", "Value"); edge("Expectation", "Satisfaction")
edge("Quality", "Value"); edge("Quality", "Satisfaction"); edge("Value", "Satisfaction")
edge("Satisfaction", "Complaints"); edge("Satisfaction", "Loyalty"); edge("Complaints", "Loyalty")

named <- function(v, nm) { v <- as.numeric(v); names(v) <- nm; as.list(v) }

extras <- function(data, fit, modes) {
  items <- unlist(blocks)
  X <- scale(as.matrix(data[, items]))
  S <- cor(X)
  w <- fit$outer_model$weight; names(w) <- items
  l <- fit$outer_model$loading; names(l) <- items
  rho_c <- rho_A <- alpha <- numeric(0)
  for (b in lvs) {
    it <- blocks[[b]]
    lb <- l[it]
    rho_c[b] <- sum(lb)^2 / (sum(lb)^2 + sum(1 - lb^2))
    wb <- w[it]
    if (length(it) == 1) { rho_A[b] <- 1; alpha[b] <- 1; next }
    Sb <- S[it, it]
    wb <- wb / sqrt(drop(t(wb) %*% Sb %*% wb))
    AA <- wb %*% t(wb)
    rho_A[b] <- drop((t(wb) %*% wb)^2 * (t(wb) %*% (Sb - diag(diag(Sb))) %*% wb) /
                       (t(wb) %*% (AA - diag(diag(AA))) %*% wb))
    p <- length(it)
    alpha[b] <- p / (p - 1) * (1 - p / sum(Sb))
  }
  htmt <- matrix(0, 7, 7, dimnames = list(lvs, lvs))
  mono <- sapply(lvs, function(b) {
    it <- blocks[[b]]; if (length(it) == 1) return(1)
    C <- S[it, it]; mean(C[lower.tri(C)]) })
  for (a in lvs) for (b in lvs) if (a != b) {
    htmt[a, b] <- mean(S[blocks[[a]], blocks[[b]]]) / sqrt(mono[a] * mono[b])
  }
  list(rho_c = as.list(rho_c), rho_A = as.list(rho_A), alpha = as.list(alpha), htmt = htmt)
}

run <- function(data, scheme, modes = rep("A", 7)) {
  fit <- plspm(data, P, blocks, modes = modes, scheme = scheme, scaled = TRUE,
               tol = 1e-14, maxiter = 1000)
  items <- unlist(blocks)
  ex <- extras(data, fit, modes)
  paths <- list()
  for (to in lvs) for (from in lvs) if (P[to, from] == 1)
    paths[[paste(from, "->", to)]] <- fit$path_coefs[to, from]
  eff <- fit$effects
  total <- setNames(as.list(eff$total), eff$relationships)
  indirect <- setNames(as.list(eff$indirect), eff$relationships)
  list(
    scheme = scheme, modes = modes, iterations = fit$model$iter,
    weights = named(fit$outer_model$weight, items),
    loadings = named(fit$outer_model$loading, items),
    paths = paths,
    r2 = named(fit$inner_summary$R2, lvs),
    ave = named(fit$inner_summary$AVE, lvs),
    alpha_plspm = named(fit$unidim$C.alpha, lvs),
    rho_c = ex$rho_c, rho_A = ex$rho_A, alpha = ex$alpha,
    htmt = ex$htmt, total = total, indirect = indirect,
    scores_first3 = unname(fit$scores[1:3, ]),
    # ACSI-style 0-100 index on the 1-10 answer scale (Fornell et al. 1996): outer weights of the
    # standardised items divided by the item standard deviations, rescaled to sum to 1, applied
    # to the item means; 100 * (that - 1) / (10 - 1)
    index = as.list(sapply(lvs, function(b) {
      it <- blocks[[b]]
      u <- fit$outer_model$weight[match(it, items)] / apply(data[, it, drop = FALSE], 2, sd)
      u <- u / sum(u)
      100 * (sum(u * colMeans(data[, it, drop = FALSE])) - 1) / 9 })))
}

out <- list(
  source = "plspm 0.4.9 (github:gastonstat/plspm bd21cb1) on ../shared/data/mobi/mobi.csv; see survey_mobi.R",
  n = nrow(mobi),
  path = run(mobi, "path"),
  centroid = run(mobi, "centroid"),
  factorial = run(mobi, "factorial"),
  # Image and Value as formative (mode B) blocks, path weighting
  modeB = run(mobi, "path", modes = c("B", "A", "A", "B", "A", "A", "A")))

# Missing answers: cells blanked deterministically; the two treatments done here before plspm.
holes <- mobi
set.seed(0)  # not used below; the blanked cells are listed explicitly
cells <- list(c(1, "IMAG1"), c(2, "CUEX2"), c(5, "PERQ3"), c(5, "PERQ4"), c(10, "CUSL2"),
              c(17, "CUSA1"), c(33, "PERV2"), c(60, "IMAG5"), c(99, "CUSCO"), c(200, "PERQ7"))
for (c in cells) holes[as.integer(c[1]), c[2]] <- NA
meanrep <- holes
for (j in names(meanrep)) meanrep[is.na(meanrep[, j]), j] <- mean(meanrep[, j], na.rm = TRUE)
casewise <- holes[complete.cases(holes), ]
out$missing_cells <- lapply(cells, function(c) list(row = as.integer(c[1]), item = c[2]))
out$mean_replacement <- run(meanrep, "path")
out$casewise <- run(casewise, "path")
out$casewise$n <- nrow(casewise)

writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "test/reference/survey_mobi.json")
cat("wrote test/reference/survey_mobi.json\n")
