# Reference values for survkit's logistic regression (tests/logistic/test_logistic.cpp).
# Run from the repository root:  Rscript tests/reference/logistic/make_logistic_refs.R
# Writes, for every fit <name>, in tests/reference/logistic/:
#   <name>_coef.csv    term, coef, se, z, p, or, lower, upper  (CI = confint.default, exp'd)
#   <name>_summary.csv key, value   (deviances, AIC, df, iterations, converged, rank, warnings)
#   <name>_fitted.csv  fitted, eta  (every observation, in data order)
# The constructed data sets (separation) are written as <name>_data.csv.
out <- "tests/reference/logistic"
f17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

save_fit <- function(name, fit, warns = character()) {
  s <- summary(fit)
  cf <- coef(fit)
  tab <- s$coefficients
  se <- z <- p <- setNames(rep(NA_real_, length(cf)), names(cf))
  se[rownames(tab)] <- tab[, 2]; z[rownames(tab)] <- tab[, 3]; p[rownames(tab)] <- tab[, 4]
  q <- qnorm(0.975)
  coefs <- data.frame(row.names = NULL, term = names(cf), coef = f17(cf), se = f17(se), z = f17(z), p = f17(p),
                      or = f17(exp(cf)), lower = f17(exp(cf - q * se)), upper = f17(exp(cf + q * se)))
  write.csv(coefs, file.path(out, paste0(name, "_coef.csv")), row.names = FALSE, quote = TRUE)
  summ <- data.frame(key = c("null_deviance", "residual_deviance", "aic", "df_null", "df_residual",
                             "iterations", "converged", "rank", "n"),
                     value = c(f17(fit$null.deviance), f17(fit$deviance), f17(fit$aic),
                               fit$df.null, fit$df.residual, fit$iter, as.integer(fit$converged),
                               fit$rank, length(fit$fitted.values)))
  if (length(warns)) summ <- rbind(summ, data.frame(key = "warning", value = warns))
  write.csv(summ, file.path(out, paste0(name, "_summary.csv")), row.names = FALSE, quote = TRUE)
  write.csv(data.frame(fitted = f17(fitted(fit)), eta = f17(fit$linear.predictors)),
            file.path(out, paste0(name, "_fitted.csv")), row.names = FALSE, quote = FALSE)
}
# Records the warnings glm gives, in order.
fit_w <- function(name, expr) {
  w <- character()
  fit <- withCallingHandlers(expr, warning = function(cond) {
    w <<- c(w, conditionMessage(cond)); invokeRestart("muffleWarning") })
  save_fit(name, fit, w)
  invisible(fit)
}

lalonde <- read.csv("tests/data/lalonde.csv")
lalonde$race <- factor(lalonde$race, levels = c("black", "hispan", "white"))
fit_w("lalonde", glm(treat ~ age + educ + race + married + nodegree + re74 + re75,
                     family = binomial, data = lalonde))
# Integer prior weights (binomial()$aic uses dbinom(w y, w, mu)).
lalonde$w_int <- 1 + (lalonde$re78 > 5000) + 2 * (lalonde$married == 1)
fit_w("lalonde_wint", glm(treat ~ age + educ + race + re74, family = binomial,
                          weights = w_int, data = lalonde))
# Non-integer weights, some zero (R warns "non-integer #successes").
lalonde$w_real <- ifelse(lalonde$age < 18, 0, lalonde$age / 30)
fit_w("lalonde_wreal", glm(treat ~ age + educ + race + re74, family = binomial,
                           weights = w_real, data = lalonde))
# Collinear: ageeduc = age + educ is declared aliased (the later column).
lalonde$ageeduc <- lalonde$age + lalonde$educ
fit_w("lalonde_alias", glm(treat ~ age + educ + ageeduc + married, family = binomial, data = lalonde))

colon <- read.csv("tests/data/colon.csv")
colon1 <- colon[colon$etype == 1 & !is.na(colon$nodes), ]
fit_w("colon", glm(I(rx != "Obs") ~ age + sex + nodes + obstruct + perfor + adhere,
                   family = binomial, data = colon1))

lung <- read.csv("tests/data/lung.csv")
lung1 <- lung[!is.na(lung$ph.ecog), ]
fit_w("lung", glm(I(status == 2) ~ age + sex + ph.ecog, family = binomial, data = lung1))

# Complete separation: x > 5 <=> y = 1 (z is noise).
sep <- data.frame(y = c(0, 0, 0, 0, 0, 1, 1, 1, 1, 1),
                  x = c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
                  z = c(2.5, -1, 0.3, 1.7, -0.4, 0.9, 1.1, -2.2, 0.6, 0.0))
write.csv(sep, file.path(out, "separation_data.csv"), row.names = FALSE)
fit_w("separation", glm(y ~ x + z, family = binomial, data = sep))
# Quasi-complete separation: g = 1 => y = 1, g = 0 mixed.
qsep <- data.frame(y = c(0, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1),
                   g = c(0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1),
                   x = c(1.2, 0.4, -0.7, 2.1, 0.3, -1.5, 0.8, 1.1, -0.2, 0.5, 1.9, -0.9))
write.csv(qsep, file.path(out, "quasi_separation_data.csv"), row.names = FALSE)
fit_w("quasi_separation", glm(y ~ g + x, family = binomial, data = qsep))
