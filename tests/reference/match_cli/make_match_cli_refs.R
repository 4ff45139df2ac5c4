# Reference values for `survkit match` and for survival analyses of the matched sample
# (issue 3, "Survival in the matched sample"), from MatchIt 4.5.1 and survival 3.5-3.
#
# Run from the repository root:
#   Rscript tests/reference/match_cli/make_match_cli_refs.R
# Rewrites every CSV in tests/reference/match_cli/.  Deterministic (no random order).
#
# Outputs:
#   colon_deaths.csv : the CLI input: colon deaths (etype == 2), Lev+5FU vs Obs, with
#                      treat = 1 for Lev+5FU; rows with missing covariates are KEPT
#                      (survkit drops and reports them; R matches the complete cases).
#   ps_colon.csv     : id, glm fitted value (ps) and linear predictor (lin) of the
#                      complete cases, as MatchIt's distance = "glm".
#   md_<cfg>.csv     : match.data(m) of each configuration (the "matched file").
#   surv_refs.csv    : cfg, analysis, quantity, group/time, value: coxph with
#                      weights + cluster, coxph + strata(subclass), weighted survfit.
# Configurations (all MatchIt defaults otherwise: distance = "glm" (logit link),
# m.order = "largest"; survkit reproduces them with --distance ps --matchit-compat):
#   r1 : 1:1 without replacement;  r2 : 1:2 without replacement (control weights 1/2
#   scaled); rep : 1:1 with replacement (weights > 1 for reused controls, no subclass:
#   the Cox cluster is the patient id).
suppressMessages({library(MatchIt); library(survival)})
stopifnot(packageVersion("MatchIt") == "4.5.1", packageVersion("survival") == "3.5.3")
out_dir <- "tests/reference/match_cli"
f17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

colon <- read.csv("tests/data/colon.csv")
cd <- colon[colon$etype == 2 & colon$rx %in% c("Obs", "Lev+5FU"),
            c("id", "rx", "sex", "age", "obstruct", "perfor", "adhere", "nodes", "differ", "extent", "surg",
              "time", "status")]
cd$treat <- as.integer(cd$rx == "Lev+5FU")
cd <- cd[, c("id", "rx", "treat", setdiff(names(cd), c("id", "rx", "treat")))]
rownames(cd) <- NULL
write.csv(cd, file.path(out_dir, "colon_deaths.csv"), row.names = FALSE, na = "NA")

cvars <- c("age", "sex", "obstruct", "perfor", "adhere", "nodes", "differ", "extent", "surg")
cc <- cd[complete.cases(cd[, cvars]), ]
cc$differ <- factor(cc$differ)
cc$extent <- factor(cc$extent)
f <- treat ~ age + sex + obstruct + perfor + adhere + nodes + differ + extent + surg
fit <- glm(f, data = cc, family = binomial)
write.csv(data.frame(id = cc$id, ps = f17(fitted(fit)), lin = f17(fit$linear.predictors)),
          file.path(out_dir, "ps_colon.csv"), row.names = FALSE, quote = FALSE)

refs <- list()
rec <- function(cfg, analysis, quantity, key, value)
  refs[[length(refs) + 1]] <<- data.frame(cfg = cfg, analysis = analysis, quantity = quantity, key = key,
                                          value = f17(value))
configs <- list(r1 = list(ratio = 1, replace = FALSE), r2 = list(ratio = 2, replace = FALSE),
                rep = list(ratio = 1, replace = TRUE))
times <- c(365, 730, 1095, 1461, 1826, 2557)
for (cfg in names(configs)) {
  C <- configs[[cfg]]
  m <- matchit(f, data = cc, method = "nearest", distance = "glm", ratio = C$ratio, replace = C$replace)
  md <- match.data(m)
  md <- md[order(as.integer(rownames(md))), ]
  out <- md
  for (v in names(out)) if (is.numeric(out[[v]])) out[[v]] <- f17(out[[v]]) else out[[v]] <- as.character(out[[v]])
  write.csv(out, file.path(out_dir, sprintf("md_%s.csv", cfg)), row.names = FALSE, quote = FALSE)

  cl <- if (C$replace) md$id else md$subclass
  fc <- coxph(Surv(time, status) ~ treat, data = md, weights = weights, cluster = cl)
  s <- summary(fc)$coefficients
  rec(cfg, "cox_cluster", "coef", "treat", s[1, "coef"])
  rec(cfg, "cox_cluster", "se", "treat", s[1, "se(coef)"])
  rec(cfg, "cox_cluster", "robust_se", "treat", s[1, "robust se"])
  rec(cfg, "cox_cluster", "p", "treat", s[1, "Pr(>|z|)"])
  rec(cfg, "cox_cluster", "n", "", fc$n)
  rec(cfg, "cox_cluster", "events", "", fc$nevent)
  if (!C$replace) {
    fs <- coxph(Surv(time, status) ~ treat + strata(subclass), data = md, weights = weights)
    s <- summary(fs)$coefficients
    rec(cfg, "cox_strata", "coef", "treat", s[1, "coef"])
    rec(cfg, "cox_strata", "se", "treat", s[1, "se(coef)"])
    rec(cfg, "cox_strata", "p", "treat", s[1, "Pr(>|z|)"])
  }
  km <- survfit(Surv(time, status) ~ treat, data = md, weights = weights)
  sm <- summary(km, times = times)
  for (i in seq_along(sm$time)) {
    g <- sub("treat=", "", as.character(sm$strata[i]))
    rec(cfg, "km", "surv", paste0(g, "@", sm$time[i]), sm$surv[i])
    rec(cfg, "km", "std_err", paste0(g, "@", sm$time[i]), sm$std.err[i])
    rec(cfg, "km", "n_risk", paste0(g, "@", sm$time[i]), sm$n.risk[i])
  }
  med <- summary(km)$table[, "median"]
  for (g in names(med)) rec(cfg, "km", "median", sub("treat=", "", g), med[[g]])
}
write.csv(do.call(rbind, refs), file.path(out_dir, "surv_refs.csv"), row.names = FALSE, quote = FALSE)
cat("written to", out_dir, "\n")
