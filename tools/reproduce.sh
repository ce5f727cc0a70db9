#!/usr/bin/env bash
# The main job: reproduce the reference study (Tables 1-3, Figure 1 and the
# sensitivity analysis) from the data the package ships. Installs what is
# needed, installs this tree into a private library, renders the vignette and
# writes the tables (CSV) and figures (PNG) into a folder (default: output/).
set -eu
cd "$(dirname "$0")/.."
out=${1:-output}
bash tools/setup.sh
lib=$(mktemp -d)
R CMD INSTALL --no-multiarch -l "$lib" . >"$lib/install.log" 2>&1 || { cat "$lib/install.log"; exit 1; }
R_LIBS="$lib:${R_LIBS:-}" Rscript tools/reproduce.R "$out"
