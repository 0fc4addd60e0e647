# Reference fits of the drivers models (src/main/resources/models.yaml) on the demo publications.
#
# Rebuilds each model's panel from the publishers' files in src/main/resources/demo/ — read here, with R, not from
# anything the service produced — fits it with plm's within estimator (entity fixed effects) and writes the
# coefficients with classical and entity-clustered standard errors and their 95 % intervals to
# src/test/resources/reference/<model>.csv, and the same for the rows of every five-year window (the rolling
# estimates by window end year) to src/test/resources/reference/<model>-windows.csv.
# DriversReferenceTest feeds the same files through the importer, ingest and the model topology and compares.
#
# The intervals use the t quantile of each convention's degrees of freedom: classical, plm's residual degrees of
# freedom N - E - K; clustered, vcovHC(method = "arellano", type = "sss", cluster = "group") with G - 1 (G the
# number of entities, the clusters), as lmtest::coefci(df = G - 1) gives them.
#
# Run from the repository root:   Rscript src/test/r/drivers-reference.R
# Needs R with the plm package.
#
# The panel, per RCEP member i and year t (as models.yaml defines the terms):
#   y          ln DDS exports to the world, US$ (UNCTAD UNCTAD_DE_DIG_SERVTRADE_ANN_EXP, OBS_VALUE x 10^UNIT_MULT)
#   ln_gdp     ln GDP, current US$ (datasets/gdp package of WDI NY.GDP.MKTP.CD)
#   infra      internet users, % of population / 100 (WDI IT.NET.USER.ZS)
#   ln_ict_lag ln ICT service exports, BoP, current US$, of year t - 1 (WDI BX.GSR.CCIS.CD)
#   rcep       1 from the year RCEP entered into force for the member (demo/rcep-members.csv), else 0
#   openness   1 - the Digital STRI in force at the end of year t: the OECD's value of the latest year <= t
#              (the importer dates each year's index 31 December)
#   ln1p_compute ln(1 + H100-equivalents of Epoch AI's clusters operational at the end of year t): clusters with
#              Status "Existing" and "Include in Standard Analysis" True, summed by country from the year of their
#              first operational date (less those decommissioned, from that year); a country with at least one such
#              cluster has a value in every year from the earliest to the latest first-operational year of the
#              list, a country with none has no value (missing, not zero)
# A row needs every input present, and positive under ln. Missing cells are missing, never zero.

suppressPackageStartupMessages({
  library(plm)
  library(lmtest)
})

demo <- "src/main/resources/demo"
out_dir <- "src/test/resources/reference"
if (!dir.exists(demo)) stop("run from the repository root: ", demo, " not found")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

members <- read.csv(file.path(demo, "rcep-members.csv"), comment.char = "#", stringsAsFactors = FALSE,
                    colClasses = "character")
rcep_year <- setNames(ifelse(members$entry_into_force == "", NA,
                             as.integer(substr(members$entry_into_force, 1, 4))), members$iso3)
iso <- members$iso3

key <- function(country, year) paste(country, year)

# --- World Bank bulk CSV: a preamble, then "Country Name,Country Code,Indicator Name,Indicator Code,1960,..."
wb_bulk <- function(file) {
  lines <- readLines(file.path(demo, file), encoding = "UTF-8", warn = FALSE)
  lines <- sub("^\ufeff", "", lines)
  start <- grep('^"?Country Name"?,', lines)[1]
  body <- lines[start:length(lines)]
  body <- body[nzchar(trimws(body))]
  t <- read.csv(text = body, check.names = FALSE, stringsAsFactors = FALSE, colClasses = "character")
  years <- grep("^[0-9]{4}$", names(t), value = TRUE)
  rows <- t[t[["Country Code"]] %in% iso, ]
  long <- do.call(rbind, lapply(years, function(y) data.frame(country = rows[["Country Code"]], year = as.integer(y),
                                                              value = suppressWarnings(as.numeric(rows[[y]])))))
  long <- long[!is.na(long$value), ]
  setNames(long$value, key(long$country, long$year))
}

internet <- wb_bulk("API_IT.NET.USER.ZS_DS2_en_csv_v2.csv")
ict <- wb_bulk("API_BX.GSR.CCIS.CD_DS2_en_csv_v2.csv")

# --- GDP: the datasets/gdp package, long
gdp_t <- read.csv(file.path(demo, "datasets-gdp.csv"), check.names = FALSE, stringsAsFactors = FALSE)
gdp_t <- gdp_t[gdp_t[["Country Code"]] %in% iso & !is.na(gdp_t$Value), ]
gdp <- setNames(as.numeric(gdp_t$Value), key(gdp_t[["Country Code"]], gdp_t$Year))

# --- UNCTAD DDS exports, SDMX-CSV 2.0
sdmx <- read.csv(file.path(demo, "DATA360_UNCTAD_DE_sdmx.csv"), check.names = FALSE, stringsAsFactors = FALSE,
                 colClasses = "character", fileEncoding = "UTF-8-BOM")
sdmx <- sdmx[sdmx$INDICATOR == "UNCTAD_DE_DIG_SERVTRADE_ANN_EXP" & sdmx$REF_AREA %in% iso, ]
sdmx$value <- suppressWarnings(as.numeric(sdmx$OBS_VALUE)) * 10^as.numeric(sdmx$UNIT_MULT)
sdmx <- sdmx[!is.na(sdmx$value), ]
dds <- setNames(sdmx$value, key(sdmx$REF_AREA, sdmx$TIME_PERIOD))

# --- OECD Digital STRI (total)
oecd <- read.csv(file.path(demo, "OECD_GoingDigital_indicator_73_DSTRI.csv"), check.names = FALSE,
                 stringsAsFactors = FALSE, fileEncoding = "UTF-8-BOM")
oecd <- oecd[oecd$Breakdown == "Indicator DSTRI" & oecd$ISO %in% iso & !is.na(oecd$Value), ]
dstri_in_force <- function(country, year) {
  s <- oecd[oecd$ISO == country & oecd$Year <= year, ]
  if (nrow(s) == 0) NA else s$Value[which.max(s$Year)]
}

# --- Epoch AI GPU clusters: H100-equivalents operational at each year end, by country
epoch <- read.csv(file.path(demo, "epoch_gpu_clusters.csv"), check.names = FALSE, stringsAsFactors = FALSE,
                  colClasses = "character", fileEncoding = "UTF-8-BOM")
# Epoch's names of the RCEP members that have clusters in the list (and the other names it uses, for the years)
epoch_iso <- c("Australia" = "AUS", "Brunei" = "BRN", "Cambodia" = "KHM", "China" = "CHN", "Indonesia" = "IDN",
               "Japan" = "JPN", "Korea (Republic of)" = "KOR", "Laos" = "LAO", "Malaysia" = "MYS",
               "Myanmar" = "MMR", "New Zealand" = "NZL", "Philippines (the)" = "PHL", "Singapore" = "SGP",
               "Thailand" = "THA", "Vietnam" = "VNM")
year_of <- function(d) {
  d <- trimws(d)
  ok <- grepl("^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$", d)
  ifelse(ok, as.integer(substr(d, 1, 4)), NA)
}
included <- epoch[epoch$Status == "Existing" & epoch[["Include in Standard Analysis"]] == "True" &
                  trimws(epoch$Country) != "", ]
included$from <- year_of(included[["First Operational Date"]])
included$to <- year_of(included[["Decommissioned Date (if applicable)"]])
included$h100 <- suppressWarnings(as.numeric(included[["H100 equivalents"]]))
included <- included[!is.na(included$from) & !is.na(included$h100), ]
epoch_years <- seq(min(included$from), max(included$from))
compute <- c()
for (name in names(epoch_iso)) {
  s <- included[included$Country == name, ]
  if (nrow(s) == 0) next
  for (y in epoch_years) {
    alive <- s$from <= y & (is.na(s$to) | s$to > y)
    compute[key(epoch_iso[[name]], y)] <- sum(s$h100[alive])
  }
}

# --- the panel
get <- function(series, country, year) {
  v <- series[key(country, year)]
  if (is.na(v)) NA else unname(v)
}
years <- 1990:2030
panel <- do.call(rbind, lapply(iso, function(c) do.call(rbind, lapply(years, function(t) data.frame(
  country = c, year = t,
  dds = get(dds, c, t), gdp = get(gdp, c, t), internet = get(internet, c, t), ict_lag = get(ict, c, t - 1),
  dstri = dstri_in_force(c, t), h100e = get(compute, c, t),
  rcep = ifelse(!is.na(rcep_year[[c]]) & t >= rcep_year[[c]], 1, 0))))))
panel$y <- log(panel$dds)
panel$ln_gdp <- log(panel$gdp)
panel$infra <- panel$internet / 100
panel$ln_ict_lag <- log(panel$ict_lag)
panel$openness <- 1 - panel$dstri
panel$ln1p_compute <- log1p(panel$h100e)

models <- list(
  "drivers" = c("ln_gdp", "infra", "ln_ict_lag", "rcep"),
  "drivers-openness" = c("ln_gdp", "infra", "ln_ict_lag", "rcep", "openness"),
  "drivers-compute" = c("ln_gdp", "infra", "ln_ict_lag", "rcep", "ln1p_compute"))
positive <- c("dds", "gdp", "ict_lag")

# One within fit: per kept term the coefficient, classical and clustered standard errors, degrees of freedom and
# 95 % intervals (t quantiles), or NULL when no term can be estimated.
fit_rows <- function(rows, terms) {
  # an entity with a single row carries no within variation: it changes no coefficient, but it would count as a
  # cluster in the small-sample factor and in G - 1; the service leaves such entities out of N and G (as reghdfe
  # does), so the reference fits the rows of entities with two or more rows
  counts <- table(rows$country)
  rows <- rows[rows$country %in% names(counts)[counts >= 2], ]
  pdata <- pdata.frame(rows, index = c("country", "year"))
  fit <- plm(as.formula(paste("y ~", paste(terms, collapse = " + "))), data = pdata, model = "within")
  kept <- names(coef(fit))[!is.na(coef(fit))]
  if (length(kept) == 0) return(NULL)
  g <- length(unique(rows$country))
  df_classical <- df.residual(fit)
  df_clustered <- g - 1
  classical <- sqrt(diag(vcov(fit)))[kept]
  cov_clustered <- vcovHC(fit, method = "arellano", type = "sss", cluster = "group")
  clustered <- sqrt(diag(cov_clustered))[kept]
  ci_classical <- coefci(fit, level = 0.95, df = df_classical)[kept, , drop = FALSE]
  ci_clustered <- coefci(fit, vcov. = cov_clustered, level = 0.95, df = df_clustered)[kept, , drop = FALSE]
  f <- function(x) sprintf("%.17g", unname(x))
  list(fit = fit, cov = cov_clustered, table = data.frame(term = kept, coefficient = f(coef(fit)[kept]),
    se_classical = f(classical), se_clustered = f(clustered),
    df_classical = df_classical, df_clustered = df_clustered,
    ci_classical_lower = f(ci_classical[, 1]), ci_classical_upper = f(ci_classical[, 2]),
    ci_clustered_lower = f(ci_clustered[, 1]), ci_clustered_upper = f(ci_clustered[, 2]),
    observations = nrow(rows), entities = g, first_year = min(rows$year), last_year = max(rows$year)))
}

write_reference <- function(file, header, result) {
  writeLines(header, file)
  suppressWarnings(write.table(result, file, sep = ",", row.names = FALSE, quote = FALSE, append = TRUE))
}

width <- 5  # years in a rolling window (models.yaml: window: 5)
for (name in names(models)) {
  terms <- models[[name]]
  needed <- c("y", terms, positive)
  rows <- panel[complete.cases(panel[, needed]) & panel$dds > 0 & panel$gdp > 0 & panel$ict_lag > 0, ]
  rows <- rows[order(rows$country, rows$year), ]
  members <- paste(sort(unique(rows$country)), collapse = " ")
  provenance <- paste0("written by src/test/r/drivers-reference.R (R ", getRversion(), ", plm ",
                       packageVersion("plm"), ").")
  convention <- paste0("clustered = vcovHC(method = arellano, type = sss, cluster = group) with t on G - 1; ",
                       "classical t on N - E - K")
  all <- fit_rows(rows, terms)
  write_reference(file.path(out_dir, paste0(name, ".csv")),
                  c(paste0("# ", name, ": plm within (entity fixed effects) on the demo publications, ", provenance),
                    paste0("# members: ", members, "; ", convention)),
                  cbind(data.frame(model = name, estimate = "all"), all$table))
  cat(name, ": ", nrow(rows), " rows, ", length(unique(rows$country)), " members (", members, "), ",
      min(rows$year), "-", max(rows$year), "\n", sep = "")
  print(round(coeftest(all$fit, vcov. = all$cov, df = length(unique(rows$country)) - 1), 4))

  # every window of `width` years that ends in a year of the panel (the service shows those whose start has rows
  # of at least half of the entities: the test looks its windows up here by end year)
  windows <- list()
  for (end in seq(min(rows$year) + width - 1, max(rows$year))) {
    w <- rows[rows$year >= end - width + 1 & rows$year <= end, ]
    singletons <- sum(table(w$country) == 1)
    fitted <- tryCatch(fit_rows(w, terms), error = function(e) NULL)
    if (is.null(fitted)) next
    # rows: every row of the window's years, single-row entities included (the service's window "rows")
    windows[[length(windows) + 1]] <- cbind(data.frame(model = name, window_end = end, rows = nrow(w),
                                                       singletons = singletons), fitted$table)
  }
  write_reference(file.path(out_dir, paste0(name, "-windows.csv")),
                  c(paste0("# ", name, ": plm within on the rows of each ", width, "-year window (years ",
                           "window_end - ", width - 1, " to window_end) of the demo publications, ", provenance),
                    paste0("# members: ", members, "; ", convention)),
                  do.call(rbind, windows))
  cat(name, ": ", length(windows), " windows\n", sep = "")
}
