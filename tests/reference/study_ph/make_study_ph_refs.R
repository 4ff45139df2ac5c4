# Reference values for the proportional-hazards column of the study report
# (tests/study/test_ph_check.cpp): cox.zph of the univariate and multivariable Cox
# models of a small study on the veteran lung cancer trial (tests/data/veteran.csv),
# whose Karnofsky score is the textbook violation of proportional hazards (Grambsch &
# Therneau 1994).
#
# Pinned: R 4.2.2, survival 3.5-3.  Run from the repository root:
#     Rscript tests/reference/study_ph/make_study_ph_refs.R
# Rerunnable; rewrites tests/reference/study_ph/study_ph.csv with sprintf("%.17g").
#
# The study spec of the test codes the variables as the spec's rules do:
#   karno:    cuts = [60]      -> "<= 60" (reference) / "> 60"
#   celltype: values = squamous, smallcell, adeno, large (squamous the reference)
#   group:    trt 1 (standard, reference) / 2 (test)
# and fits Efron Cox models on days (the unit does not change the km or rank scales;
# the identity case below is also on days).
#
# Columns: transform, model (univariate_<var> | multivariable), term (GLOBAL = global), chisq, df, p
suppressPackageStartupMessages(library(survival))
stopifnot(packageVersion("survival") == "3.5.3")

v <- read.csv("tests/data/veteran.csv")
v$karno <- factor(ifelse(v$karno <= 60, "le60", "gt60"), levels = c("le60", "gt60"))
v$celltype <- factor(v$celltype, levels = c("squamous", "smallcell", "adeno", "large"))
v$group <- factor(v$trt, levels = c(1, 2))

f17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
out <- list()
add <- function(model, fit, tr) {
  z <- cox.zph(fit, transform = tr)
  out[[length(out) + 1]] <<- data.frame(transform = tr, model = model, term = rownames(z$table),
                                        chisq = f17(z$table[, "chisq"]), df = z$table[, "df"],
                                        p = f17(z$table[, "p"]), stringsAsFactors = FALSE)
}
for (tr in c("km", "identity")) {
  for (var in c("karno", "celltype", "group"))
    add(paste0("univariate_", var), coxph(as.formula(paste("Surv(time, status) ~", var)), data = v), tr)
  add("multivariable", coxph(Surv(time, status) ~ karno + celltype + group, data = v), tr)
}
res <- do.call(rbind, out)
# The case must violate proportional hazards for Karnofsky score.
stopifnot(as.numeric(res$p[res$transform == "km" & res$model == "univariate_karno" & res$term == "karno"]) < 0.05)
write.csv(res, "tests/reference/study_ph/study_ph.csv", row.names = FALSE)
