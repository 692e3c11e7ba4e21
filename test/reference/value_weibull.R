# Reference numbers for fitWeibullRetention (test/value/weibull.test.ts).
# Run once from the project root:  Rscript test/reference/value_weibull.R > test/reference/value_weibull.json
# R's survival::survreg with dist = "weibull" parameterises log(T) = mu + sigma * W:
# shape k = 1 / sigma, scale lambda = exp(mu). Standard errors by the delta method from vcov
# (coefficients mu and log(sigma)).
suppressMessages(library(survival))
set.seed(20240501)
n <- 200
life <- rweibull(n, shape = 1.5, scale = 10)
cens <- runif(n, 5, 20)
time <- round(pmin(life, cens), 6)
event <- as.integer(life <= cens)
fit <- survreg(Surv(time, event) ~ 1, dist = "weibull")
mu <- unname(coef(fit)[1]); sigma <- fit$scale
v <- vcov(fit)  # on (mu, log sigma)
k <- 1 / sigma; lambda <- exp(mu)
se_k <- k * sqrt(v[2, 2])       # d(1/sigma)/d(log sigma) = -1/sigma
se_lambda <- lambda * sqrt(v[1, 1])
cat("{\n")
cat(sprintf('  "source": "R %s, survival %s, survreg(Surv(time, event) ~ 1, dist = \\"weibull\\")",\n', getRversion(), packageVersion("survival")))
cat(sprintf('  "time": [%s],\n', paste(sprintf("%.6f", time), collapse = ", ")))
cat(sprintf('  "event": [%s],\n', paste(event, collapse = ", ")))
cat(sprintf('  "shape": %.12g,\n  "scale": %.12g,\n  "logLikelihood": %.12g,\n  "shapeSE": %.12g,\n  "scaleSE": %.12g\n', k, lambda, fit$loglik[2], se_k, se_lambda))
cat("}\n")
