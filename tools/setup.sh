#!/usr/bin/env bash
# Install what consensr needs to build, check, test and render its vignettes
# on a fresh Debian 12 machine with R: Debian's r-cran-* packages (quick),
# pandoc for the vignettes, qpdf for R CMD check, and the CRAN-only
# packages irr and irrCAC (used by the agreement tests, skipped if absent).
set -u
export DEBIAN_FRONTEND=noninteractive
pkgs="r-base-dev r-cran-testthat r-cran-cli r-cran-rlang r-cran-ggplot2 \
r-cran-knitr r-cran-rmarkdown r-cran-roxygen2 r-cran-tibble r-cran-data.table \
r-cran-matrixstats r-cran-dplyr r-cran-boot r-cran-bench r-cran-haven r-cran-vdiffr \
r-cran-tidyselect r-cran-flextable r-cran-officer r-cran-curl r-cran-httr pandoc qpdf \
r-cran-dbi r-cran-dbplyr r-cran-rsqlite r-cran-readr \
r-cran-shiny r-cran-bslib r-cran-callr r-cran-processx r-cran-httpuv r-cran-withr r-cran-pkgload chromium \
clang-14 libclang-rt-14-dev valgrind"
missing=""
for p in $pkgs; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing$missing"
  $SUDO apt-get update -qq || echo "setup: apt-get update failed"
  # one by one, so that a package missing from the archive skips only itself
  for p in $missing; do
    $SUDO apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 ||
      echo "setup: could not install $p"
  done
fi
command -v chromium >/dev/null 2>&1 || echo "setup: chromium is not installed: the app's end-to-end browser test will be skipped"
Rscript -e '
need <- c("irr", "irrCAC", "agrmt", "contentvalidR", "DescTools", "chromote")
need <- need[!vapply(need, requireNamespace, logical(1), quietly = TRUE)]
if (length(need)) {
  message("setup: installing from CRAN: ", paste(need, collapse = ", "))
  try(install.packages(need, repos = "https://cloud.r-project.org", quiet = TRUE))
}
'
exit 0
