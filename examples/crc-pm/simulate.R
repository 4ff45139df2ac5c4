# Synthetic CRC-PM cohort: a seeded, documented simulator.
#
# Run from the repository root:
#     Rscript examples/crc-pm/simulate.R
# It rewrites examples/crc-pm/patients.csv byte for byte identically (fixed seed,
# fixed RNG kinds, no dependence on anything but base R). Check the result with
#     Rscript examples/crc-pm/check_cohort.R
#
# What it imitates
# ----------------
# The retrospective two-centre study in shared/seed/crc-pm-study.txt ("the published study"):
# 119 patients with pulmonary metastases (PM) from colorectal cancer (CRC), lung
# metastasis diagnosed between 2009-01-01 and 2019-07-31, followed to 2019-12-31;
# 39 received local therapy of the lung metastases plus chemotherapy (Group-LI),
# 80 chemotherapy alone (Group-Chem). The file is what a hospital would export:
# one row per reviewed patient, dates and raw values, no pre-cut categories; the
# study spec does every derivation. 8 extra rows fail exactly one inclusion or
# exclusion criterion each, so the patient flow reads 127 -> 119.
#
# Columns (dates are ISO 8601, YYYY-MM-DD; an empty cell means "none / not
# applicable"; text values are lower case unless they are names)
#   patient_id          "CRCPM-001".."CRCPM-127", numbered by pm_diagnosis_date.
#   hospital            "A" or "B" (the two centres), P(A) = 0.55, independent of all else.
#   sex                 "male" / "female".                          [Table 5 Gender]
#   birth_date          chosen so that the age at pm_diagnosis_date falls in the
#                       right class.                                 [Table 5 Age]
#   crc_diagnosis_date  first diagnosis of the primary CRC.
#   pm_diagnosis_date   diagnosis of the lung metastases = time origin of OS/PFS.
#   histology           "adenocarcinoma" for every analysed patient.
#   primary_site        "colon" / "rectum".                 [Table 1 Location, overall]
#   ajcc_stage          "I".."IV", AJCC stage at the first CRC diagnosis.
#                                                             [Table 1 Staging, overall]
#   grade               "low" / "intermediate" / "high".        [Table 5 Pathology]
#   ecog                ECOG performance status 0..3 at PM diagnosis.  [Table 5 ECOG-PS]
#   pm_timing           "synchronous" (PM found at the first CRC diagnosis) /
#                       "metachronous" (found at a later examination).
#                                                             [Table 5 Diagnosis of PM]
#   pm_count            number of lung metastases (integer >= 1). [Table 5 Number]
#   pm_max_diameter_mm  largest lung metastasis on CT, whole millimetres.
#                                                                  [Table 5 Sizes]
#   pm_distribution     "unilateral" / "bilateral".             [Table 5 Distribution]
#   liver_metastasis    "yes" / "no": liver metastases treated before the PM.
#   extrapulmonary_metastasis   "yes" / "no" (resectable ones, for analysed patients).
#   extrapulmonary_unresectable "yes" / "no"   (exclusion criterion 1)
#   other_malignancy            "yes" / "no"   (exclusion criterion 2)
#   prior_cardiopulmonary_failure "yes" / "no" (exclusion criterion 3: poor
#                       performance status diagnosed before the CRC)
#   cea_ng_ml           CEA at PM diagnosis, ng/ml, 1 decimal.      [Table 5 CEA]
#   ca199_u_ml          CA19-9 at PM diagnosis, U/ml, 1 decimal.    [Table 5 CA19-9]
#   treatment           "local+chemo" (Group-LI) / "chemo" (Group-Chem) /
#                       "none" (exclusion criterion 4: no treatment given).
#   local_procedure     LI only: "wedge resection" 21, "lobectomy" 8,
#                       "cryoablation" 6, "radiotherapy" 4 (the published study's Results).
#   chemo_regimen       first-line regimen: "XELOX" / "FOLFOX" (oxaliplatin
#                       doublet), "FOLFIRI" / "XELIRI" (irinotecan-based),
#                       "capecitabine" (fluoropyrimidine alone). See below.
#   progression_date    first progression; empty if none was observed.
#   death_date          empty if alive at last follow-up.
#   last_followup_date  last contact (= death_date for those who died); <= 2019-12-31.
#
# Derivations a study spec needs (check_cohort.R implements exactly these)
#   Inclusion/exclusion, in this order (each extra row fails exactly one, so the
#   per-criterion counts do not depend on the order):
#     histology == "adenocarcinoma"                               (1 excluded)
#     pm_diagnosis_date in [2009-01-01, 2019-07-31]               (2 excluded)
#     extrapulmonary_unresectable == "no"                          (1 excluded)
#     other_malignancy == "no"                                     (2 excluded)
#     prior_cardiopulmonary_failure == "no"                        (1 excluded)
#     treatment != "none"                                          (1 excluded)
#   group      = treatment: "local+chemo" -> Group-LI (reference), "chemo" -> Group-Chem.
#   age        = (pm_diagnosis_date - birth_date) in days / 365.25 years;
#                class "<= 60" / "> 60". No patient has an age in (59.9, 61.1)
#                years, so completed (floored) calendar years give the same class.
#   DFI        = (pm_diagnosis_date - crc_diagnosis_date) in days / 30.4375 months;
#                class "<= 12" / "> 12". DFI is never in (11.5, 12.5) months.
#                Synchronous PM have DFI 0..42 days.
#   size       = pm_max_diameter_mm / 10 cm; "<= 2 cm" / "> 2 cm" (never exactly 20 mm).
#   number     = pm_count "<= 5" / "> 5";   ECOG "0-1" (ecog <= 1) / ">= 2".
#   CEA        "<= 5" / "> 5" ng/ml;  CA19-9 "<= 35" / "> 35" U/ml. Raw values never
#              equal a cut point (draws are kept >= 0.1 away), so the "<=" convention
#              of the published study and a "<" convention agree.
#   OS         = pm_diagnosis_date -> death_date if present, else -> last_followup_date;
#                event = death_date present. Months = days / 30.4375.
#   PFS        = pm_diagnosis_date -> first of (progression_date, death_date) if either
#                is present, else -> last_followup_date; event = either present
#                (progression or death, the usual definition). progression_date is
#                always strictly before death_date when both are present.
#
# How each quantity is generated
# ------------------------------
# 1. Baseline categories. For each Table 5 variable, the per-group class labels
#    are an exact multiset (e.g. Group-LI gender = 23 male + 16 female) randomly
#    permuted over the group's patients, independently across variables, so every
#    per-group count of Table 5 (before PSM) holds exactly. Two constraints tie
#    variables together, as clinical logic demands:
#      * synchronous PM => DFI <= 12 months: every synchronous patient gets a DFI
#        class "<= 12", and the remaining "<= 12" slots of the group (LI 18-10 = 8,
#        Chem 40-15 = 25) go to randomly chosen metachronous patients;
#      * synchronous PM => AJCC stage IV at the first diagnosis (lung metastasis =
#        M1): all 25 synchronous patients are stage IV; the other 11 stage IV and
#        the stage I 6 / II 25 / III 52 are permuted over the 94 metachronous ones.
#    Table 1's location (colon 53 / rectum 66) is permuted over all 119.
#    pm_count 1 is only given to unilateral disease (a single nodule cannot be
#    bilateral).
# 2. Raw values inside each class: age uniform in [38, 59.9] or [61.1, 82] years;
#    DFI 0 (half of them) or 1..42 days (synchronous), 92..350 days (metachronous
#    "<= 12"), 380 + a gamma(2, scale 300 days) draw capped at 3000 days ("> 12");
#    ecog 0/1 with prob .45/.55 ("0-1") or 2/3 with prob .8/.2 (">= 2"); pm_count
#    1..5 (unilateral, probabilities .40 .25 .15 .12 .08) or 2..5 (bilateral,
#    .40 .30 .18 .12) or 6 + geometric(.25) capped at 25 ("> 5"); diameter 5..19
#    or 21..60 mm (uniform integers, the larger ones skewed towards 21..35);
#    CEA log-uniform on [0.5, 4.9] or [5.1, 300]; CA19-9 log-uniform on
#    [2, 34.9] or [35.1, 2000] (both rounded to 1 decimal after drawing).
#    pm_diagnosis_date: 2009-01-01 + (2019-07-31 - 2009-01-01) * B days with
#    B ~ Beta(1.5, 1), i.e. accrual that grows over the decade, as referrals did.
# 3. Treatment detail. LI: local_procedure is the exact multiset 21/8/6/4 permuted.
#    Chem: first-line regimen classes oxaliplatin doublet 43 / irinotecan-based 32
#    / fluoropyrimidine 5. The published study lists 43 + 33 + 5 = 81 for 80 patients: one
#    patient was evidently counted under two regimens (a switch of line), so the
#    export records the first line only and the irinotecan class loses the double
#    count. Within classes, XELOX:FOLFOX and FOLFIRI:XELIRI are drawn 1:1 and 4:1.
#    LI patients also had chemotherapy ("on the basis of chemotherapy"): their
#    regimen is drawn with the Chem group's class frequencies.
# 4. Survival. Overall survival follows a Weibull proportional-hazards model,
#        S(t | x) = exp(-(t / lambda)^k * exp(x'beta)),  t in months,
#    with beta = log of the published study's multivariable OS hazard ratios (Table 3:
#    chemo vs local 4.07, CEA > 5 3.924, CA19-9 > 35 1.204, liver 1.459,
#    extrapulmonary 0.693, number > 5 0.537, grade intermediate 0.887 / high 1.832
#    vs low, bilateral 1.135). Progression-or-death time follows the same form
#    with Table 4's HRs (5.132, 2.336, 1.246, 1.069, 1.185, size > 2 cm 0.747,
#    grade 0.872 / 0.873, bilateral 0.678, stage II 1.743 / III 1.393 / IV 2.217,
#    metachronous 1.591, age > 60 1.325). Times are drawn by inversion,
#    T = lambda * (-log U * exp(-x'beta))^(1/k), with (U_os, U_pfs) from a Gaussian
#    copula with correlation 0.7 (patients who progress early tend to die early).
#    The recorded PFS is min(T_pfs, T_os): progression is only recorded when it
#    comes strictly before death (in whole days); otherwise the PFS event is the
#    death itself.
#    Censoring: administrative at 2019-12-31, plus loss to follow-up at an
#    exponential time with rate 0.015 per month. Times are kept in whole days
#    (ceiling of months * 30.4375, at least 1 day).
# 5. Baseline calibration (deterministic: all random numbers are drawn first and
#    held fixed while the parameters are searched; no seed was searched).
#    OS: for each shape k on the grid 1.00, 1.01, ..., 3.50, bisection on
#    log(lambda) finds the smallest lambda whose Kaplan-Meier median OS in
#    Group-LI is >= 34.5 months; of these (k, lambda) the one whose Group-Chem
#    median is closest to 13.8 months is kept (the published study's abstract: 34.5 vs 13.8).
#    PFS: the shape is set equal to the OS shape, and bisection on log(lambda_pfs)
#    finds the smallest lambda_pfs whose Kaplan-Meier 3-year PFS over all 119
#    patients reaches (32.7 / 51.2) x the achieved 3-year OS over all 119, i.e.
#    the published study's overall ratio of 3-year PFS to 3-year OS (Results text). The
#    group-wise ratios are unusable: Group-LI's 75.5 / 81.6 would make progression
#    almost never precede death, and Group-Chem's 3-year OS is ~0 (see below).
#    The KM value at 36 months moves in steps (few patients are still at risk),
#    so the achieved value lies at or just above the target.
#
# Where the published study cannot be matched (it is internally inconsistent) -- see README:
#  * a median OS of 34.5 months in Group-LI forces the 3-year OS there below 50%,
#    so Table 1's 81.6% and Table 2's 3-year PFS of 75.5% (PFS <= OS) cannot hold;
#    we keep the medians (the abstract's headline numbers). With proportional
#    hazards and the Table 3 HRs (plus the covariate imbalance of Table 5, which
#    makes the marginal Chem/LI hazard ratio ~6), a median ratio of only
#    34.5 / 13.8 = 2.5 forces a steeply increasing hazard (k ~ 2.2 in expectation,
#    2.95 on this draw), so few patients survive past 3-4 years and Group-Chem's
#    3-year OS and PFS are ~0 rather than 32.2% / 12.2%.
#  * with Group-Chem's median OS of 13.8 months, 66 of 119 alive at a median
#    follow-up of 36.1 months is impossible (the 80 Chem patients alone would give
#    ~65 deaths). Accrual growing over time and a loss-to-follow-up rate of 1.5%
#    per month are a compromise: ~50 alive, median follow-up ~23 months.
#
# The CSV is written unquoted (no value contains a comma), empty cells for missing.

RNGkind("Mersenne-Twister", "Inversion", "Rejection")
set.seed(20190731)

out_path <- file.path("examples", "crc-pm", "patients.csv")
if (!dir.exists(dirname(out_path)))
  stop("run from the repository root: Rscript examples/crc-pm/simulate.R")

DAYS_PER_MONTH <- 30.4375
DAYS_PER_YEAR  <- 365.25
ACCRUAL_START  <- as.Date("2009-01-01")
ACCRUAL_END    <- as.Date("2019-07-31")
STUDY_END      <- as.Date("2019-12-31")
LOSS_RATE      <- 0.015   # per month
COPULA_RHO     <- 0.7

# ---------------------------------------------------------------------------
# 1. Baseline categories with the exact counts of Table 5 (before PSM)
# ---------------------------------------------------------------------------
n_li <- 39L; n_ch <- 80L; n <- n_li + n_ch
group <- rep(c("LI", "Chem"), c(n_li, n_ch))
is_li <- group == "LI"

# counts: list(levels, LI counts, Chem counts)
exact_within_group <- function(levels, li_counts, ch_counts) {
  stopifnot(sum(li_counts) == n_li, sum(ch_counts) == n_ch)
  c(sample(rep(levels, li_counts)), sample(rep(levels, ch_counts)))
}

sex      <- exact_within_group(c("male", "female"), c(23, 16), c(39, 41))
age_cls  <- exact_within_group(c("le60", "gt60"), c(27, 12), c(39, 41))
ecog_cls <- exact_within_group(c("0-1", ">=2"), c(35, 4), c(62, 18))
grade    <- exact_within_group(c("low", "intermediate", "high"), c(7, 29, 3), c(5, 65, 10))
timing   <- exact_within_group(c("synchronous", "metachronous"), c(10, 29), c(15, 65))
distrib  <- exact_within_group(c("unilateral", "bilateral"), c(26, 13), c(15, 65))
num_cls  <- exact_within_group(c("le5", "gt5"), c(25, 14), c(62, 18))
size_cls <- exact_within_group(c("le2", "gt2"), c(27, 12), c(61, 19))
liver    <- exact_within_group(c("no", "yes"), c(32, 7), c(60, 20))
extra    <- exact_within_group(c("no", "yes"), c(32, 7), c(41, 39))
cea_cls  <- exact_within_group(c("le5", "gt5"), c(26, 13), c(29, 51))
ca_cls   <- exact_within_group(c("le35", "gt35"), c(33, 6), c(41, 39))

# DFI class: synchronous => "<= 12"; the rest of the group's "<= 12" slots go to
# randomly chosen metachronous patients.
dfi_cls <- rep("gt12", n)
dfi_cls[timing == "synchronous"] <- "le12"
for (g in c("LI", "Chem")) {
  le12_total <- if (g == "LI") 18L else 40L
  meta <- which(group == g & timing == "metachronous")
  extra_le12 <- le12_total - sum(group == g & timing == "synchronous")
  dfi_cls[meta[sample.int(length(meta), extra_le12)]] <- "le12"
}

# AJCC stage at first diagnosis: synchronous => IV; overall I 6 / II 25 / III 52 / IV 36.
stage <- rep("IV", n)
meta_all <- which(timing == "metachronous")
stage[meta_all] <- sample(rep(c("I", "II", "III", "IV"), c(6, 25, 52, 36 - 25)))

site <- sample(rep(c("colon", "rectum"), c(53, 66)))

# ---------------------------------------------------------------------------
# 2. Raw values inside each class
# ---------------------------------------------------------------------------
draw_pm_date <- function(m) {
  span <- as.numeric(ACCRUAL_END - ACCRUAL_START)
  ACCRUAL_START + round(span * rbeta(m, 1.5, 1))
}
draw_age_years <- function(cls) {
  ifelse(cls == "le60", runif(length(cls), 38, 59.9), runif(length(cls), 61.1, 82))
}
draw_dfi_days <- function(cls, tim) {
  m <- length(cls)
  sync_days <- ifelse(runif(m) < 0.5, 0, sample.int(42L, m, replace = TRUE))
  meta_le12 <- sample(92:350, m, replace = TRUE)
  meta_gt12 <- pmin(380 + round(rgamma(m, shape = 2, scale = 300)), 3000)
  ifelse(tim == "synchronous", sync_days, ifelse(cls == "le12", meta_le12, meta_gt12))
}
draw_ecog <- function(cls) {
  m <- length(cls)
  low <- ifelse(runif(m) < 0.45, 0L, 1L)
  high <- ifelse(runif(m) < 0.8, 2L, 3L)
  ifelse(cls == "0-1", low, high)
}
draw_pm_count <- function(cls, dist) {
  m <- length(cls)
  uni <- sample(1:5, m, replace = TRUE, prob = c(.40, .25, .15, .12, .08))
  bi  <- sample(2:5, m, replace = TRUE, prob = c(.40, .30, .18, .12))
  many <- pmin(6L + rgeom(m, 0.25), 25L)
  ifelse(cls == "gt5", many, ifelse(dist == "unilateral", uni, bi))
}
draw_diameter_mm <- function(cls) {
  m <- length(cls)
  small <- sample(5:19, m, replace = TRUE)
  large <- ifelse(runif(m) < 0.7, sample(21:35, m, replace = TRUE),
                  sample(36:60, m, replace = TRUE))
  ifelse(cls == "le2", small, large)
}
log_uniform <- function(m, lo, hi) round(exp(runif(m, log(lo), log(hi))), 1)
draw_cea <- function(cls) {
  m <- length(cls)
  ifelse(cls == "le5", log_uniform(m, 0.5, 4.9), log_uniform(m, 5.1, 300))
}
draw_ca199 <- function(cls) {
  m <- length(cls)
  ifelse(cls == "le35", log_uniform(m, 2, 34.9), log_uniform(m, 35.1, 2000))
}
draw_regimen <- function(cls) {
  m <- length(cls)
  ox <- ifelse(runif(m) < 0.5, "XELOX", "FOLFOX")
  iri <- ifelse(runif(m) < 0.8, "FOLFIRI", "XELIRI")
  ifelse(cls == "oxaliplatin", ox, ifelse(cls == "irinotecan", iri, "capecitabine"))
}

pm_date   <- draw_pm_date(n)
age_years <- draw_age_years(age_cls)
birth     <- pm_date - round(age_years * DAYS_PER_YEAR)
dfi_days  <- draw_dfi_days(dfi_cls, timing)
crc_date  <- pm_date - dfi_days
ecog      <- draw_ecog(ecog_cls)
pm_count  <- draw_pm_count(num_cls, distrib)
diam_mm   <- draw_diameter_mm(size_cls)
cea       <- draw_cea(cea_cls)
ca199     <- draw_ca199(ca_cls)
hospital  <- ifelse(runif(n) < 0.55, "A", "B")

local_proc <- rep("", n)
local_proc[is_li] <- sample(rep(c("wedge resection", "lobectomy", "cryoablation", "radiotherapy"),
                                c(21, 8, 6, 4)))
reg_cls <- character(n)
reg_cls[!is_li] <- sample(rep(c("oxaliplatin", "irinotecan", "fluoropyrimidine"), c(43, 32, 5)))
reg_cls[is_li] <- sample(c("oxaliplatin", "irinotecan", "fluoropyrimidine"), n_li,
                         replace = TRUE, prob = c(43, 32, 5))
regimen <- draw_regimen(reg_cls)

# ---------------------------------------------------------------------------
# 3. Outcome random numbers (drawn once, held fixed during calibration)
# ---------------------------------------------------------------------------
draw_outcome_noise <- function(m) {
  z1 <- rnorm(m); z2 <- COPULA_RHO * z1 + sqrt(1 - COPULA_RHO^2) * rnorm(m)
  list(u_os = pnorm(z1), u_pfs = pnorm(z2),
       loss_months = rexp(m, LOSS_RATE))
}
noise <- draw_outcome_noise(n)

# Linear predictors from the published study's multivariable hazard ratios.
lp_os_of <- function(chemo, cea_hi, ca_hi, liv, ext, num_hi, grd, bil) {
  log(4.07) * chemo + log(3.924) * cea_hi + log(1.204) * ca_hi + log(1.459) * liv +
    log(0.693) * ext + log(0.537) * num_hi + log(0.887) * (grd == "intermediate") +
    log(1.832) * (grd == "high") + log(1.135) * bil
}
lp_pfs_of <- function(chemo, cea_hi, ca_hi, liv, ext, size_hi, grd, bil, stg, meta, old) {
  log(5.132) * chemo + log(2.336) * cea_hi + log(1.246) * ca_hi + log(1.069) * liv +
    log(1.185) * ext + log(0.747) * size_hi + log(0.872) * (grd == "intermediate") +
    log(0.873) * (grd == "high") + log(0.678) * bil + log(1.743) * (stg == "II") +
    log(1.393) * (stg == "III") + log(2.217) * (stg == "IV") + log(1.591) * meta +
    log(1.325) * old
}
lp_os <- lp_os_of(!is_li, cea_cls == "gt5", ca_cls == "gt35", liver == "yes",
                  extra == "yes", num_cls == "gt5", grade, distrib == "bilateral")
lp_pfs <- lp_pfs_of(!is_li, cea_cls == "gt5", ca_cls == "gt35", liver == "yes",
                    extra == "yes", size_cls == "gt2", grade, distrib == "bilateral",
                    stage, timing == "metachronous", age_cls == "gt60")

weibull_ph_months <- function(u, lp, k, lambda) lambda * (-log(u) * exp(-lp))^(1 / k)
to_days <- function(months) pmax(1, ceiling(months * DAYS_PER_MONTH))

censor_days <- pmin(as.numeric(STUDY_END - pm_date),
                    to_days(noise$loss_months))

# Whole-day outcome construction shared by calibration and output.
build_outcomes <- function(k_os, lam_os, k_pfs, lam_pfs, lp_os, lp_pfs, noise, censor_days) {
  t_os  <- to_days(weibull_ph_months(noise$u_os, lp_os, k_os, lam_os))
  t_pfs <- to_days(weibull_ph_months(noise$u_pfs, lp_pfs, k_pfs, lam_pfs))
  died <- t_os <= censor_days
  progressed <- t_pfs < t_os & t_pfs <= censor_days
  os_days <- ifelse(died, t_os, censor_days)
  pfs_days <- ifelse(progressed, t_pfs, os_days)
  list(died = died, progressed = progressed, t_os = t_os, t_pfs = t_pfs,
       os_days = os_days, os_event = died,
       pfs_days = pfs_days, pfs_event = progressed | died)
}

# Kaplan-Meier pieces (same conventions as survival::survfit: product-limit,
# median = first time S <= 0.5, the midpoint to the next event time when S is
# exactly 0.5 on a flat stretch).
km_curve <- function(time, event) {
  ut <- sort(unique(time[event]))
  at_risk <- vapply(ut, function(t) sum(time >= t), numeric(1))
  d <- vapply(ut, function(t) sum(time == t & event), numeric(1))
  list(time = ut, surv = cumprod(1 - d / at_risk))
}
km_median <- function(time, event) {
  km <- km_curve(time, event)
  i <- which(km$surv <= 0.5 + 1e-12)
  if (length(i) == 0) return(Inf)
  i <- i[1]
  if (abs(km$surv[i] - 0.5) < 1e-12 && i < length(km$time))
    return((km$time[i] + km$time[i + 1]) / 2)
  km$time[i]
}
km_at <- function(time, event, t) {
  km <- km_curve(time, event)
  s <- km$surv[km$time <= t]
  if (length(s) == 0) 1 else s[length(s)]
}

# ---------------------------------------------------------------------------
# 4. Calibration of the two Weibull baselines (deterministic search)
# ---------------------------------------------------------------------------
TARGET_MEDIAN_LI <- 34.5; TARGET_MEDIAN_CHEM <- 13.8
TARGET_PFS_OS_RATIO <- 32.7 / 51.2

os_medians <- function(k, lam) {
  o <- build_outcomes(k, lam, 1, 1e9, lp_os, lp_pfs, noise, censor_days)
  m <- o$os_days / DAYS_PER_MONTH
  c(li = km_median(m[is_li], o$os_event[is_li]),
    chem = km_median(m[!is_li], o$os_event[!is_li]))
}
# smallest lambda (on a log scale, to 1e-7) whose LI median reaches the target;
# the LI median is non-decreasing in lambda because all latent times scale with it.
bisect_log <- function(f_ok, lo, hi, iters = 60) {
  stopifnot(!f_ok(lo), f_ok(hi))
  for (it in seq_len(iters)) {
    mid <- (lo + hi) / 2
    if (f_ok(mid)) hi <- mid else lo <- mid
  }
  hi
}
best <- NULL
for (k in seq(1.00, 3.50, by = 0.01)) {
  loglam <- bisect_log(function(ll) os_medians(k, exp(ll))[["li"]] >= TARGET_MEDIAN_LI,
                       log(1), log(1000), iters = 40)
  med <- os_medians(k, exp(loglam))
  err <- abs(med[["chem"]] - TARGET_MEDIAN_CHEM)
  if (is.null(best) || err < best$err - 1e-12)
    best <- list(k = k, lam = exp(loglam), err = err, med = med)
}
k_os <- best$k; lam_os <- best$lam

os_only <- build_outcomes(k_os, lam_os, 1, 1e9, lp_os, lp_pfs, noise, censor_days)
os3_all <- km_at(os_only$os_days / DAYS_PER_MONTH, os_only$os_event, 36)
target_pfs3_all <- TARGET_PFS_OS_RATIO * os3_all
k_pfs <- k_os
pfs3_all <- function(lam) {
  o <- build_outcomes(k_os, lam_os, k_pfs, lam, lp_os, lp_pfs, noise, censor_days)
  km_at(o$pfs_days / DAYS_PER_MONTH, o$pfs_event, 36)
}
# 3-year PFS is non-decreasing in lambda_pfs; smallest lambda reaching the target.
lam_pfs <- exp(bisect_log(function(ll) pfs3_all(exp(ll)) >= target_pfs3_all - 1e-12,
                          log(1), log(1e4), iters = 60))

outcome <- build_outcomes(k_os, lam_os, k_pfs, lam_pfs, lp_os, lp_pfs, noise, censor_days)

# ---------------------------------------------------------------------------
# 5. Assemble the analysed patients
# ---------------------------------------------------------------------------
fmt_date <- function(d) format(d, "%Y-%m-%d")
date_or_empty <- function(base, days, keep) ifelse(keep, fmt_date(base + days), "")

analysed <- data.frame(
  hospital = hospital, sex = sex,
  birth_date = fmt_date(birth), crc_diagnosis_date = fmt_date(crc_date),
  pm_diagnosis_date = fmt_date(pm_date), histology = "adenocarcinoma",
  primary_site = site, ajcc_stage = stage, grade = grade, ecog = ecog,
  pm_timing = timing, pm_count = pm_count, pm_max_diameter_mm = diam_mm,
  pm_distribution = distrib, liver_metastasis = liver,
  extrapulmonary_metastasis = extra, extrapulmonary_unresectable = "no",
  other_malignancy = "no", prior_cardiopulmonary_failure = "no",
  cea_ng_ml = cea, ca199_u_ml = ca199,
  treatment = ifelse(is_li, "local+chemo", "chemo"),
  local_procedure = local_proc, chemo_regimen = regimen,
  progression_date = date_or_empty(pm_date, outcome$t_pfs, outcome$progressed),
  death_date = date_or_empty(pm_date, outcome$t_os, outcome$died),
  last_followup_date = fmt_date(pm_date + outcome$os_days),
  stringsAsFactors = FALSE)

# ---------------------------------------------------------------------------
# 6. Eight reviewed patients that the criteria must exclude (one reason each)
# ---------------------------------------------------------------------------
# They are drawn like Group-Chem patients (random classes, same raw-value
# generators, same calibrated OS/PFS models), then one field is set so that
# exactly one criterion fails.
m_x <- 8L
reason <- c("histology", "pm_date_early", "pm_date_late", "unresectable",
            "other_malignancy", "other_malignancy", "prior_failure", "no_treatment")
x_cls <- function(levels, prob) sample(levels, m_x, replace = TRUE, prob = prob)
x_timing <- x_cls(c("synchronous", "metachronous"), c(25, 94))
x_dfi_cls <- ifelse(x_timing == "synchronous", "le12", x_cls(c("le12", "gt12"), c(1, 1)))
x_stage <- ifelse(x_timing == "synchronous", "IV", x_cls(c("I", "II", "III", "IV"), c(6, 25, 52, 11)))
x_age <- x_cls(c("le60", "gt60"), c(66, 53)); x_dist <- x_cls(c("unilateral", "bilateral"), c(41, 78))
x_num <- x_cls(c("le5", "gt5"), c(87, 32)); x_size <- x_cls(c("le2", "gt2"), c(88, 31))
x_grade <- x_cls(c("low", "intermediate", "high"), c(12, 94, 13))
x_liver <- x_cls(c("no", "yes"), c(92, 27)); x_extra <- x_cls(c("no", "yes"), c(73, 46))
x_cea <- x_cls(c("le5", "gt5"), c(55, 64)); x_ca <- x_cls(c("le35", "gt35"), c(74, 45))
x_ecog <- x_cls(c("0-1", ">=2"), c(97, 22))
x_pm_date <- draw_pm_date(m_x)
x_pm_date[reason == "pm_date_early"] <- as.Date("2008-10-17")
x_pm_date[reason == "pm_date_late"] <- as.Date("2019-09-12")
x_birth <- x_pm_date - round(draw_age_years(x_age) * DAYS_PER_YEAR)
x_crc <- x_pm_date - draw_dfi_days(x_dfi_cls, x_timing)
x_extra[reason == "unresectable"] <- "yes"
x_treat <- ifelse(reason == "no_treatment", "none", "chemo")
x_noise <- draw_outcome_noise(m_x)
x_lp_os <- lp_os_of(TRUE, x_cea == "gt5", x_ca == "gt35", x_liver == "yes", x_extra == "yes",
                    x_num == "gt5", x_grade, x_dist == "bilateral")
x_lp_pfs <- lp_pfs_of(TRUE, x_cea == "gt5", x_ca == "gt35", x_liver == "yes", x_extra == "yes",
                      x_size == "gt2", x_grade, x_dist == "bilateral", x_stage,
                      x_timing == "metachronous", x_age == "gt60")
x_censor <- pmin(as.numeric(STUDY_END - x_pm_date), to_days(x_noise$loss_months))
x_out <- build_outcomes(k_os, lam_os, k_pfs, lam_pfs, x_lp_os, x_lp_pfs, x_noise, x_censor)
x_reg_cls <- x_cls(c("oxaliplatin", "irinotecan", "fluoropyrimidine"), c(43, 32, 5))

excluded <- data.frame(
  hospital = ifelse(runif(m_x) < 0.55, "A", "B"), sex = x_cls(c("male", "female"), c(62, 57)),
  birth_date = fmt_date(x_birth), crc_diagnosis_date = fmt_date(x_crc),
  pm_diagnosis_date = fmt_date(x_pm_date),
  histology = ifelse(reason == "histology", "neuroendocrine carcinoma", "adenocarcinoma"),
  primary_site = x_cls(c("colon", "rectum"), c(53, 66)), ajcc_stage = x_stage,
  grade = x_grade, ecog = draw_ecog(x_ecog), pm_timing = x_timing,
  pm_count = draw_pm_count(x_num, x_dist), pm_max_diameter_mm = draw_diameter_mm(x_size),
  pm_distribution = x_dist, liver_metastasis = x_liver,
  extrapulmonary_metastasis = x_extra,
  extrapulmonary_unresectable = ifelse(reason == "unresectable", "yes", "no"),
  other_malignancy = ifelse(reason == "other_malignancy", "yes", "no"),
  prior_cardiopulmonary_failure = ifelse(reason == "prior_failure", "yes", "no"),
  cea_ng_ml = draw_cea(x_cea), ca199_u_ml = draw_ca199(x_ca),
  treatment = x_treat, local_procedure = "",
  chemo_regimen = ifelse(x_treat == "none", "", draw_regimen(x_reg_cls)),
  progression_date = date_or_empty(x_pm_date, x_out$t_pfs, x_out$progressed),
  death_date = date_or_empty(x_pm_date, x_out$t_os, x_out$died),
  last_followup_date = fmt_date(x_pm_date + x_out$os_days),
  stringsAsFactors = FALSE)

# ---------------------------------------------------------------------------
# 7. Order by PM diagnosis date, number, write
# ---------------------------------------------------------------------------
all_rows <- rbind(analysed, excluded)
ord <- order(all_rows$pm_diagnosis_date, all_rows$birth_date)
all_rows <- all_rows[ord, ]
all_rows <- cbind(patient_id = sprintf("CRCPM-%03d", seq_len(nrow(all_rows))), all_rows)

# Self-checks of the invariants the documentation promises.
stopifnot(all(all_rows$last_followup_date <= fmt_date(STUDY_END)),
          all(all_rows$progression_date == "" | all_rows$death_date == "" |
                all_rows$progression_date < all_rows$death_date),
          all(abs(age_years - 60.5) > 0.5), all(abs(dfi_days / DAYS_PER_MONTH - 12) > 0.5),
          all(diam_mm != 20), all(cea != 5), all(ca199 != 35),
          !any(pm_count == 1 & distrib == "bilateral"))

write.csv(all_rows, out_path, row.names = FALSE, na = "", quote = FALSE)

cat(sprintf("wrote %s: %d rows (%d analysed + %d to be excluded)\n",
            out_path, nrow(all_rows), n, m_x))
cat(sprintf("OS baseline:  Weibull shape k = %.2f, scale lambda = %.4f months\n", k_os, lam_os))
cat(sprintf("  KM median OS: LI %.2f (target %.1f), Chem %.2f (target %.1f)\n",
            best$med[["li"]], TARGET_MEDIAN_LI, best$med[["chem"]], TARGET_MEDIAN_CHEM))
cat(sprintf("PFS baseline: Weibull shape k = %.2f, scale lambda = %.4f months\n", k_pfs, lam_pfs))
cat(sprintf("  3-year PFS, all 119: %.3f (target %.3f = %.4f x 3-year OS %.3f)\n",
            pfs3_all(lam_pfs), target_pfs3_all, TARGET_PFS_OS_RATIO, os3_all))
cat(sprintf("progressions recorded: %d; PFS events %d (deaths without progression %d)\n",
            sum(outcome$progressed), sum(outcome$pfs_event),
            sum(outcome$pfs_event & !outcome$progressed)))
cat(sprintf("alive at last follow-up: %d of %d\n", sum(!outcome$died), n))
