# R survey oracle for toolkit.survey.change (run from the repository root:
#   Rscript tests/rounds/change_oracle.R
# writes tests/rounds/data/change_r.csv). Stacked rounds, svyby with
# covmat=TRUE, svycontrast(after - before), df = degf of the domain's subset.
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "adjust")
d <- "tests/rounds/data"
rd <- function(n) read.csv(file.path(d, paste0(n, ".csv")), colClasses = c(archive_id = "character"))
before <- rd("before"); fresh <- rd("fresh"); panel <- rd("panel")

stacked <- function(b, a, paired) {
  if (paired) {
    b <- b[b$archive_id %in% a$archive_id, ]
    m <- match(b$archive_id, a$archive_id)
    b$X_stratum <- a$X_stratum[m]; b$X_psu <- a$X_psu[m]; b$X_w <- a$X_w[m]
  } else {
    b$X_stratum <- paste0("0|", b$X_stratum); b$X_psu <- paste0("0|", b$X_psu)
    a$X_stratum <- paste0("1|", a$X_stratum); a$X_psu <- paste0("1|", a$X_psu)
  }
  b$round <- 0; a$round <- 1
  rbind(b, a)
}

one <- function(s, paired, dom) {
  des <- svydesign(ids = ~X_psu, strata = ~X_stratum, weights = ~X_w, data = s, nest = TRUE)
  if (dom != "全市") des <- subset(des, county == dom)
  out <- list()
  # proportion of y (missing y outside the domain, as na.rm)
  dy <- subset(des, !is.na(y))
  b <- svyby(~y, ~round, dy, svymean, covmat = TRUE)
  ct <- svycontrast(b, c(-1, 1))
  out[[1]] <- data.frame(indicator = "y", county = dom, change = as.numeric(coef(ct)), se = as.numeric(SE(ct)), df = degf(dy))
  dr <- subset(des, pay_checked > 0)
  b <- svyby(~pay_full, ~round, dr, svyratio, denominator = ~pay_checked, covmat = TRUE)
  ct <- svycontrast(b, c(-1, 1))
  out[[2]] <- data.frame(indicator = "pay", county = dom, change = as.numeric(coef(ct)), se = as.numeric(SE(ct)), df = degf(dr))
  do.call(rbind, out)
}

res <- list()
for (case in c("fresh", "panel")) {
  a <- if (case == "fresh") fresh else panel
  s <- stacked(before, a, case == "panel")
  for (dom in c("全市", "A", "B", "C")) {
    r <- one(s, case == "panel", dom)
    r$case <- case
    res[[length(res) + 1]] <- r
  }
}
out <- do.call(rbind, res)
out$ci_low <- out$change - qt(0.975, out$df) * out$se
out$ci_high <- out$change + qt(0.975, out$df) * out$se
write.csv(out[, c("case", "indicator", "county", "change", "se", "df", "ci_low", "ci_high")],
          file.path(d, "change_r.csv"), row.names = FALSE, fileEncoding = "UTF-8")
