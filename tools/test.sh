#!/usr/bin/env bash
# Run the whole test suite of consensr against a fresh install of this tree.
# Prints testthat's totals as the last line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
bash tools/setup.sh
lib=$(mktemp -d)
R CMD INSTALL --no-multiarch -l "$lib" . >"$lib/install.log" 2>&1 || {
  cat "$lib/install.log"; echo "0 passed, 1 failed"; exit 1; }
# NOT_CRAN: the snapshot tests (expect_snapshot) run here; R CMD check skips them
NOT_CRAN=true R_LIBS="$lib:${R_LIBS:-}" Rscript -e '
suppressPackageStartupMessages({library(testthat); library(consensr)})
res <- as.data.frame(test_dir("tests/testthat", package = "consensr",
                              load_package = "installed",
                              reporter = "check",
                              stop_on_failure = FALSE))
passed <- sum(res$passed)
failed <- sum(res$failed) + sum(res$error)
skipped <- sum(res$skipped)
cat(sprintf("%d passed, %d failed, %d skipped\n", passed, failed, skipped))
quit(status = if (failed > 0) 1 else 0)
'
