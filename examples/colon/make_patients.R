# One row per patient from R's colon data (survival package), for the colon example.
#
# Run from the repository root:
#     Rscript examples/colon/make_patients.R
# Reads examples/colon/colon.csv (a copy of survival::colon, 2 rows per patient:
# etype 1 = recurrence, etype 2 = death) and writes examples/colon/patients.csv with
# one row per patient: the baseline columns, then os_days / os_status (etype 2) and
# rfs_days / rfs_status (etype 1: recurrence, or death when it came first -- in the
# colon data the etype 1 time is already the time to recurrence or death, as the
# package documents).  Rerunnable; the output is committed.
colon <- read.csv(file.path("examples", "colon", "colon.csv"))
base <- colon[colon$etype == 2, c("id", "rx", "sex", "age", "obstruct", "perfor", "adhere",
                                  "nodes", "differ", "extent", "surg")]
os <- colon[colon$etype == 2, c("id", "time", "status")]
rfs <- colon[colon$etype == 1, c("id", "time", "status")]
names(os) <- c("id", "os_days", "os_status")
names(rfs) <- c("id", "rfs_days", "rfs_status")
out <- merge(merge(base, os, by = "id"), rfs, by = "id")
out <- out[order(out$id), ]
write.csv(out, file.path("examples", "colon", "patients.csv"), row.names = FALSE, na = "")
