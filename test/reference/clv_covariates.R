# Reference for src/clv/covariates.ts: CLVTools (0.12.1, built from its GitHub source against
# Debian's R packages: R CMD INSTALL -l /work/rlib) fits Pareto/NBD and BG/NBD with static
# covariates on its bundled CDNOW sample (2,357 customers, weeks, calibration to 1997-09-30),
# covariates from each customer's first purchase in both processes. (Its apparel data with a
# 40-week calibration does not identify the dropout process: CLVTools' own pnbd returns NA.) Writes clv_covariates.json: the summaries (x, t_x, T) and covariates
# per customer, and CLVTools' estimates, standard errors, log-likelihoods and predictions.
# Run: Rscript test/reference/clv_covariates.R   (from the project root)
.libPaths(c("/work/rlib", .libPaths()))
suppressMessages({ library(CLVTools); library(jsonlite) })
Sys.setenv(TZ = "UTC")
data("cdnow")
clv <- clvdata(cdnow, date.format = "ymd", time.unit = "week", estimation.split = "1997-09-30",
               name.id = "Id", name.date = "Date", name.price = "Price")
# covariates known at the first purchase: ln of its amount (continuous) and whether it bought
# more than one CD (binary); the same two in both processes
first <- cdnow[, .(Date = min(Date)), by = Id][cdnow, on = .(Id, Date), nomatch = 0]
first <- first[, .(lnFirst = log1p(sum(Price)), multi = as.numeric(sum(CDs) > 1)), by = Id]
cov <- SetStaticCovariates(clv, data.cov.life = first, data.cov.trans = first,
                           names.cov.life = c("lnFirst", "multi"), names.cov.trans = c("lnFirst", "multi"),
                           name.id = "Id")
cbs <- CLVTools:::pnbd_cbs(clv)
cbs <- cbs[order(as.numeric(as.character(cbs$Id)))]
z <- first[match(cbs$Id, first$Id)]
horizon <- 20
one <- function(fit) {
  co <- coef(fit); se <- sqrt(diag(vcov(fit)))
  pr <- predict(fit, prediction.end = horizon, verbose = FALSE)
  pr <- pr[match(cbs$Id, pr$Id)]
  list(coef = as.list(co), se = as.list(se), logLik = as.numeric(logLik(fit)),
       PAlive = pr$PAlive, CET = pr$CET, periods = horizon)
}
quiet <- function(e) suppressWarnings(suppressMessages(e))
out <- list(
  source = sprintf("CLVTools %s (R %s), cdnow, time.unit week, estimation.split 1997-09-30, covariates lnFirst = log1p(first-day amount), multi = first day > 1 CD", packageVersion("CLVTools"), getRversion()),
  id = cbs$Id, x = cbs$x, t_x = cbs$t.x, T = cbs$T.cal,
  lnFirst = z$lnFirst, multi = z$multi,
  pnbd = one(quiet(pnbd(cov, verbose = FALSE))),
  bgnbd = one(quiet(bgnbd(cov, verbose = FALSE))),
  pnbd_nocov = one(quiet(pnbd(clv, verbose = FALSE))),
  bgnbd_nocov = one(quiet(bgnbd(clv, verbose = FALSE)))
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE), "test/reference/clv_covariates.json")
