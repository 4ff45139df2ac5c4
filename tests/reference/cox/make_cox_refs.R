# Reference values for the cox area (survkit::fit_cox) from R's survival::coxph.
#
# Run from the repository root:   Rscript tests/reference/cox/make_cox_refs.R
# Rerunnable; rewrites tests/reference/cox/{cox_models,cox_terms,cox_eval}.csv.
# Every number is written with sprintf("%.17g") so that the C++ tests compare
# against R's doubles, not against a rounded print-out.  NA is written as NA.
#
# Conventions that the C++ tests (tests/cox/test_cox.cpp) mirror when they build
# the same designs from tests/data:
#  * data are read with read.csv, so character columns become factors with
#    alphabetically sorted levels (veteran celltype: adeno, large, smallcell, squamous;
#    colon rx: Lev, Lev+5FU, Obs) and the first level is the reference;
#  * rows with NA in any variable of the model are dropped (na.omit, R's default);
#  * weights are a deterministic function of the 1-based row number of the CSV.
suppressPackageStartupMessages(library(survival))
stopifnot(packageVersion("survival") == "3.5.3")

out_dir <- "tests/reference/cox"
lung    <- read.csv("tests/data/lung.csv", stringsAsFactors = TRUE)
veteran <- read.csv("tests/data/veteran.csv", stringsAsFactors = TRUE)
colon   <- read.csv("tests/data/colon.csv", stringsAsFactors = TRUE)
ovarian <- read.csv("tests/data/ovarian.csv", stringsAsFactors = TRUE)

lung$row <- seq_len(nrow(lung))
lung$w_int  <- 1 + (lung$row %% 3)          # integer case weights: naive variance
lung$w_frac <- 0.5 + (lung$row %% 4) / 3    # non-integer weights: R switches to robust
lung$age2 <- 2 * lung$age                   # exactly collinear with age

# A small monotone-likelihood data set: every event among subjects with x = 1
# happens before any event with x = 0, so the partial likelihood increases in
# beta_x without bound (R warns "coefficient may be infinite").
mono <- data.frame(time   = c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
                   status = c(1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1),
                   x      = c(1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0),
                   z      = c(0.5, -1.2, 0.3, 2.0, -0.7, 1.1, 0.0, -0.4, 0.9, -1.5, 0.2, 0.6))

f17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

models <- list()
terms  <- list()

add_model <- function(name, expr) {
  warns <- character(0)
  fit <- withCallingHandlers(eval(expr),
                             warning = function(w) {
                               warns <<- c(warns, conditionMessage(w))
                               invokeRestart("muffleWarning")
                             })
  s <- summary(fit)
  cf <- s$coefficients
  ci <- s$conf.int
  robust <- !is.null(fit$naive.var)
  beta <- coef(fit)
  se_naive <- sqrt(diag(if (robust) fit$naive.var else fit$var))
  se_used  <- sqrt(diag(fit$var))
  z <- beta / se_used
  p <- pchisq(z^2, 1, lower.tail = FALSE)
  terms[[length(terms) + 1]] <<- data.frame(
    model = name, term = names(beta),
    coef = f17(beta), exp_coef = f17(exp(beta)), se = f17(se_naive),
    robust_se = f17(if (robust) se_used else rep(NA, length(beta))),
    z = f17(z), p = f17(p),
    lower = f17(ci[, 3]), upper = f17(ci[, 4]), mean = f17(fit$means),
    stringsAsFactors = FALSE)
  df <- sum(!is.na(beta))
  wald <- fit$wald.test
  rs <- if (is.null(fit$rscore)) NA else fit$rscore
  conv <- !any(grepl("Ran out of iterations", warns))
  models[[length(models) + 1]] <<- data.frame(
    model = name, n = fit$n, nevent = fit$nevent, ties = fit$method,
    robust = robust, iter = fit$iter, converged = conv,
    loglik_null = f17(fit$loglik[1]), loglik_model = f17(fit$loglik[2]),
    lr_stat = f17(s$logtest[1]), lr_df = df, lr_p = f17(s$logtest[3]),
    wald_stat = f17(wald), wald_p = f17(pchisq(wald, df, lower.tail = FALSE)),
    score_stat = f17(fit$score), score_p = f17(s$sctest[3]),
    rscore_stat = f17(rs), rscore_p = f17(if (is.na(rs)) NA else s$robscore[3]),
    concordance = f17(s$concordance[1]), concordance_se = f17(s$concordance[2]),
    warnings = paste(warns, collapse = " | "),
    stringsAsFactors = FALSE)
  invisible(fit)
}

add_model("lung_efron",
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung)))
add_model("lung_breslow",
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung, ties = "breslow")))
add_model("lung_ecog_factor",
  quote(coxph(Surv(time, status == 2) ~ age + sex + factor(ph.ecog), data = lung)))
add_model("lung_ecog_relevel",
  quote(coxph(Surv(time, status == 2) ~ age + sex + relevel(factor(ph.ecog), ref = "1"),
              data = lung)))
add_model("lung_strata_inst",
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog + strata(inst), data = lung)))
add_model("lung_strata_sex_breslow",
  quote(coxph(Surv(time, status == 2) ~ age + ph.ecog + strata(sex), data = lung,
              ties = "breslow")))
add_model("lung_age_only",
  quote(coxph(Surv(time, status == 2) ~ age, data = lung)))
add_model("lung_weighted",
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung, weights = w_int)))
add_model("lung_weighted_frac",
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung, weights = w_frac)))
add_model("lung_collinear",
  quote(coxph(Surv(time, status == 2) ~ age + sex + age2, data = lung)))
add_model("lung_maxiter2",
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung, iter.max = 2)))
add_model("veteran",
  quote(coxph(Surv(time, status) ~ celltype + karno + trt, data = veteran)))
add_model("colon_cluster",
  quote(coxph(Surv(time, status) ~ rx + sex + age + cluster(id), data = colon)))
add_model("colon_death",
  quote(coxph(Surv(time, status) ~ rx + sex + age, data = colon, subset = etype == 2)))
add_model("ovarian",
  quote(coxph(Surv(futime, fustat) ~ age + rx + ecog.ps, data = ovarian)))
add_model("monotone",
  quote(coxph(Surv(time, status) ~ x + z, data = mono)))

write.csv(do.call(rbind, models), file.path(out_dir, "cox_models.csv"), row.names = FALSE)
write.csv(do.call(rbind, terms), file.path(out_dir, "cox_terms.csv"), row.names = FALSE)

# Log partial likelihood, score and information at a fixed beta (no iteration):
# coxph(init = b, iter.max = 0) evaluates the objective at b; its var is the inverse
# information at b and the column sums of the (weighted) score residuals are U(b).
evals <- list()
add_eval <- function(name, beta, expr) {
  fit <- eval(expr)
  info <- solve(fit$var)
  u <- colSums(residuals(fit, type = "score", weighted = TRUE))
  p <- length(beta)
  rows <- data.frame(case = name, quantity = "loglik", i = 0, j = 0,
                     value = f17(fit$loglik[2]), stringsAsFactors = FALSE)
  rows <- rbind(rows, data.frame(case = name, quantity = "beta", i = seq_len(p) - 1, j = 0,
                                 value = f17(beta)))
  rows <- rbind(rows, data.frame(case = name, quantity = "score", i = seq_len(p) - 1, j = 0,
                                 value = f17(u)))
  rows <- rbind(rows, data.frame(case = name, quantity = "information",
                                 i = rep(seq_len(p) - 1, p), j = rep(seq_len(p) - 1, each = p),
                                 value = f17(as.vector(info))))
  evals[[length(evals) + 1]] <<- rows
}
b3 <- c(0.011, -0.55, 0.46)
add_eval("lung_efron_b", b3,
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung, init = b3,
              iter.max = 0)))
add_eval("lung_breslow_b", b3,
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung, init = b3,
              iter.max = 0, ties = "breslow")))
add_eval("lung_strata_inst_b", b3,
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog + strata(inst), data = lung,
              init = b3, iter.max = 0)))
add_eval("lung_weighted_b", b3,
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung, init = b3,
              iter.max = 0, weights = w_int)))
write.csv(do.call(rbind, evals), file.path(out_dir, "cox_eval.csv"), row.names = FALSE)
