# Writes the SPSS, Stata and SAS fixtures of the data-file readers (issue 9 §1) with R's
# haven, from the demo cohort examples/crc-pm/patients.csv plus two columns computed here
# (os_months, os_status) so that the single-table commands (km, cox, ...) have a time
# and an event:
#   patients.csv        the CSV every other format must reproduce (identical analyses)
#   patients.sav        SPSS: value labels, variable labels, a user-missing code (9999)
#                       and a user-missing range (ECOG 8-9), DATE and DATETIME formats
#   patients.zsav       the same, compressed (zsav)
#   patients.dta        Stata: value labels, variable labels, extended missing .a/.b,
#                       %td dates and a %tc datetime
#   patients.xpt        SAS transport v8: text columns, dates (DATE9.), a datetime
#                       (DATETIME20.), SAS special missing values
#   patients.sas7bdat   SAS (haven's write_sas): as patients.xpt
# Run from the repository root:  Rscript tests/data/formats/make_formats.R
# (R 4.2.2, haven 2.5.x).  The datetime column keeps a time of day (10:30) that the
# readers must drop to the calendar day.
suppressPackageStartupMessages(library(haven))
out <- "tests/data/formats"
d <- read.csv("examples/crc-pm/patients.csv", na.strings = "", stringsAsFactors = FALSE)
date_cols <- c("birth_date", "crc_diagnosis_date", "pm_diagnosis_date", "progression_date",
               "death_date", "last_followup_date")
for (col in date_cols) d[[col]] <- as.Date(d[[col]])

# Overall survival from the lung-metastasis diagnosis, in months (days / 30.4375).
stop_date <- ifelse(is.na(d$death_date), d$last_followup_date, d$death_date)
d$os_months <- round(as.numeric(stop_date - as.numeric(d$pm_diagnosis_date)) / 30.4375, 4)
d$os_status <- as.integer(!is.na(d$death_date))
# Missing values to carry as user-missing / extended missing codes.
d$cea_ng_ml[c(3, 17, 40)] <- NA
d$ecog[c(5, 60)] <- NA

csv <- d
for (col in date_cols) csv[[col]] <- format(csv[[col]], "%Y-%m-%d")
write.csv(csv, file.path(out, "patients.csv"), row.names = FALSE, na = "")

coded <- function(x, levels) match(x, levels)  # text -> 1, 2, ... in the order given
var_labels <- c(sex = "Sex", cea_ng_ml = "CEA (ng/mL)", ecog = "ECOG performance status",
                os_months = "Overall survival (months)", os_status = "Death",
                treatment = "Treatment received", grade = "Tumour grade")

# ---- SPSS
s <- d
# Codes in the byte order of the texts, so that the levels come in the CSV's order.
s$sex <- labelled_spss(coded(d$sex, c("female", "male")), c(female = 1, male = 2), label = var_labels[["sex"]])
s$treatment <- labelled_spss(coded(d$treatment, c("chemo", "local+chemo", "none")),
                             c(chemo = 1, `local+chemo` = 2, none = 3), label = var_labels[["treatment"]])
# Grade coded clinically (1 = low): the levels follow the codes, not the CSV's byte order.
s$grade <- labelled_spss(coded(d$grade, c("low", "intermediate", "high")),
                         c(low = 1, intermediate = 2, high = 3), label = var_labels[["grade"]])
s$os_status <- labelled_spss(d$os_status, c(alive = 0, dead = 1), label = var_labels[["os_status"]])
s$cea_ng_ml <- labelled_spss(ifelse(is.na(d$cea_ng_ml), 9999, d$cea_ng_ml), c(`not measured` = 9999),
                             na_values = 9999, label = var_labels[["cea_ng_ml"]])
ecog <- d$ecog
ecog[5] <- 8; ecog[60] <- 9
s$ecog <- labelled_spss(ecog, na_range = c(8, 9), label = var_labels[["ecog"]])
s$os_months <- labelled_spss(d$os_months, label = var_labels[["os_months"]])
s$last_followup_date <- as.POSIXct(paste(d$last_followup_date, "10:30:00"), tz = "UTC")
write_sav(s, file.path(out, "patients.sav"))
write_sav(s, file.path(out, "patients.zsav"), compress = "zsav")

# ---- Stata
t <- d
t$sex <- labelled(coded(d$sex, c("female", "male")), c(female = 1L, male = 2L), label = var_labels[["sex"]])
t$treatment <- labelled(coded(d$treatment, c("chemo", "local+chemo", "none")),
                        c(chemo = 1L, `local+chemo` = 2L, none = 3L), label = var_labels[["treatment"]])
t$grade <- labelled(coded(d$grade, c("low", "intermediate", "high")),
                    c(low = 1L, intermediate = 2L, high = 3L), label = var_labels[["grade"]])
t$os_status <- labelled(d$os_status, c(alive = 0L, dead = 1L), label = var_labels[["os_status"]])
t$cea_ng_ml <- ifelse(is.na(d$cea_ng_ml), tagged_na("a"), d$cea_ng_ml)
t$ecog <- ifelse(is.na(d$ecog), tagged_na("b"), d$ecog)
t$last_followup_date <- as.POSIXct(paste(d$last_followup_date, "10:30:00"), tz = "UTC")
write_dta(t, file.path(out, "patients.dta"), version = 15)

# ---- SAS (no value labels in a data file: texts stay texts)
x <- d
x$cea_ng_ml <- ifelse(is.na(d$cea_ng_ml), tagged_na("A"), d$cea_ng_ml)
x$last_followup_date <- as.POSIXct(paste(d$last_followup_date, "10:30:00"), tz = "UTC")
write_xpt(x, file.path(out, "patients.xpt"), version = 8)
suppressWarnings(write_sas(x, file.path(out, "patients.sas7bdat")))

# What haven reads back, for the record (dates and missing values as R sees them).
back <- read_sav(file.path(out, "patients.sav"), user_na = FALSE)
stopifnot(sum(is.na(back$cea_ng_ml)) == 3, sum(is.na(back$ecog)) == 2,
          as.Date(back$last_followup_date[1]) == d$last_followup_date[1])
back <- read_dta(file.path(out, "patients.dta"))
stopifnot(sum(is.na(back$cea_ng_ml)) == 3, all(as.Date(back$birth_date) == d$birth_date))
