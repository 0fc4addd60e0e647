#!/usr/bin/env Rscript
# Reference numbers for the driver-shift test (io.dtm.model.ShiftTest), from an independent implementation: R plm.
# Reads  src/test/resources/reference/shift-panel.csv   (entity, year, y, one column per term)
# Writes src/test/resources/reference/shift-reference.csv (statistic, term, value)
# The within model (entity fixed effects) on the rows up to the window's last year, every slope interacted with
# w = 1[year in the window]; entity-clustered covariance vcovHC(method = "arellano", type = "sss",
# cluster = "group"); per term the interaction (window slope minus earlier slope) with t on G - 1 (lmtest::coeftest)
# and jointly the Wald statistic W = d' V_dd^-1 d, F = W / q on (q, G - 1).
# Run from the repository root: Rscript src/test/r/shift-reference.R   (R 4.2, plm 2.6, sandwich 3.0, lmtest 0.9)
suppressPackageStartupMessages({
  library(plm)
  library(sandwich)
  library(lmtest)
})

window_first <- 2020
window_last <- 2024
dir <- "src/test/resources/reference"
panel <- read.csv(file.path(dir, "shift-panel.csv"), colClasses = c(entity = "character"))
panel <- panel[panel$year <= window_last, ]
terms <- setdiff(names(panel), c("entity", "year", "y"))
panel$w <- as.numeric(panel$year >= window_first & panel$year <= window_last)
shifts <- paste0(terms, "_shift")
for (i in seq_along(terms)) panel[[shifts[i]]] <- panel[[terms[i]]] * panel$w

pdata <- pdata.frame(panel, index = c("entity", "year"))
fit <- plm(reformulate(c(terms, shifts), response = "y"), data = pdata, model = "within")
v <- vcovHC(fit, method = "arellano", type = "sss", cluster = "group")
g <- length(unique(panel$entity))
ct <- coeftest(fit, vcov. = v, df = g - 1)

d <- coef(fit)[shifts]
wald <- as.numeric(t(d) %*% solve(v[shifts, shifts], d))
q <- length(shifts)
f <- wald / q

out <- data.frame(statistic = character(), term = character(), value = numeric())
add <- function(statistic, term, value) {
  out <<- rbind(out, data.frame(statistic = statistic, term = term, value = value))
}
add("observations", "", nrow(panel))
add("entities", "", g)
for (i in seq_along(terms)) {
  add("before", terms[i], coef(fit)[[terms[i]]])
  add("difference", terms[i], ct[shifts[i], "Estimate"])
  add("standard_error", terms[i], ct[shifts[i], "Std. Error"])
  add("t", terms[i], ct[shifts[i], "t value"])
  add("p", terms[i], ct[shifts[i], "Pr(>|t|)"])
}
add("f", "joint", f)
add("numerator_df", "joint", q)
add("denominator_df", "joint", g - 1)
add("p", "joint", pf(f, q, g - 1, lower.tail = FALSE))
out$value <- sprintf("%.17g", out$value)
write.csv(out, file.path(dir, "shift-reference.csv"), row.names = FALSE, quote = FALSE)
