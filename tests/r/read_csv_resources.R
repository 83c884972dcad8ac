# Reads every CSV resource of a Data Package the way R users do - readr, with the column types and
# missing values its schema declares - and compares it with what the Parquet files hold.
#
# Usage: Rscript read_csv_resources.R DATAPACKAGE_JSON EXPECTED_JSON
# EXPECTED_JSON (written by tests/package/test_r.py from the Parquet files) maps each CSV resource to
# {"rows": N, "columns": {"name": [cell as canonical text, or null], ...}}. Exits 1 listing every
# difference. Needs only Debian's r-base-core, r-cran-readr and r-cran-jsonlite.
suppressPackageStartupMessages({
  library(jsonlite)
  library(readr)
})

args <- commandArgs(trailingOnly = TRUE)
package <- read_json(args[1], simplifyVector = FALSE)
expected <- read_json(args[2], simplifyVector = FALSE)
root <- dirname(args[1])

# Declared Table Schema type -> readr collector. Integers become doubles (exact to 2^53), as R's
# frictionless package reads them: R's own integers have 32 bits.
collector <- function(field) {
  switch(field$type,
    string = col_character(), integer = col_double(), number = col_double(), boolean = col_logical(),
    datetime = col_datetime(format = ""), date = col_date(format = "%Y-%m-%d"),
    stop("no collector for type ", field$type))
}

# A column as canonical text, the form tests/package/test_r.py writes the Parquet values in.
canonical <- function(x, type) {
  text <- switch(type,
    string = x,
    integer = sprintf("%.0f", x),
    number = sprintf("%.17g", x),
    boolean = as.character(ifelse(x, "TRUE", "FALSE")),  # ifelse keeps an all-NA or empty column logical
    datetime = sprintf("%.6f", as.numeric(x)),
    date = format(x, "%Y-%m-%d"))
  text[is.na(x)] <- NA
  text
}

failures <- character()
fail <- function(...) failures <<- c(failures, paste0(...))
checked <- 0
for (resource in package$resources) {
  if (!identical(resource$format, "csv")) next
  fields <- resource$schema$fields
  names <- vapply(fields, function(f) f$name, "")
  types <- setNames(lapply(fields, collector), names)
  data <- read_csv(file.path(root, resource$path), col_types = do.call(cols, types),
                   na = unlist(resource$schema$missingValues), progress = FALSE)
  want <- expected[[resource$name]]
  if (nrow(problems(data)) > 0) fail(resource$name, ": readr reports ", nrow(problems(data)), " parsing problems")
  if (!identical(names(data), names)) fail(resource$name, ": columns ", paste(names(data), collapse = ","))
  if (nrow(data) != want$rows) fail(resource$name, ": ", nrow(data), " rows, expected ", want$rows)
  for (field in fields) {
    values <- data[[field$name]]
    # The CSV twins put one apostrophe before a text a spreadsheet would run (or read as null):
    # dropping it gives the exact value, as the resource's description says.
    if (field$type == "string") values <- sub("^'", "", values)
    got <- canonical(values, field$type)
    if (field$type == "integer" && any(!is.na(values) & values %% 1 != 0)) {
      fail(resource$name, ".", field$name, ": non-integer values")
    }
    wanted <- vapply(want$columns[[field$name]], function(v) if (is.null(v)) NA_character_ else v, "")
    if (!identical(unname(got), unname(wanted))) {
      bad <- which(!((is.na(got) & is.na(wanted)) | (!is.na(got) & !is.na(wanted) & got == wanted)))
      fail(resource$name, ".", field$name, ": row ", bad[1], " is ", got[bad[1]], ", expected ", wanted[bad[1]])
    }
  }
  checked <- checked + 1
}
if (length(failures) > 0) {
  cat(failures, sep = "\n")
  quit(status = 1)
}
cat("R read", checked, "CSV resources: rows, columns, types and values match the Parquet files\n")
