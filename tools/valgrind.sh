#!/usr/bin/env bash
# Run consensr's test suite, and every registered .Call routine on recorded
# and fuzzed inputs, under valgrind (memcheck), and report the errors that
# involve the package's code.
#
#   tools/valgrind.sh            (or: make valgrind)
#   VALGRIND_FUZZ=300 tools/valgrind.sh      fuzzed calls after the tests
#
# The package is built from a copy of this tree with -g -O1 into a temporary
# library; R runs as
#   R -d "valgrind --error-exitcode=1 --leak-check=no [--track-origins=yes]"
# Valgrind reports every error of the process (R and its libraries
# included); an error counts against consensr when any frame of its stack,
# or of the allocation it points to ("was alloc'd at", "created by"), is in
# consensr.so.  Prints those errors and "valgrind: 0 errors in consensr
# code" or fails.  valgrind is installed with apt-get when missing (as
# root), or the run says why not and fails; a stage that does not run to
# the end fails the run, naming it.  VALGRIND_FILTER (a testthat filter on
# the test file stems) and VALGRIND_QUICK=1 (no recorded/fuzzed calls) run
# part of it, for tools/test-gates.sh.
#
# Bounded time (issue 15): valgrind slows R's interpreter about 60 times
# (the whole suite would take hours), so by default it runs the test files
# that call the .Call routines directly and check them against pure-R
# references (VALGRIND_FILES, a regular expression on the file stems; the
# files left out are named in the output), with their random loops scaled
# down: CONSENSR_TEST_SCALE=0.1 (trials() in tests/testthat/helper-trials.R,
# never fewer than 3 trials), CONSENSR_PROPERTY_N=15.  Then every registered
# routine is driven again by the recorded-call replay and the fuzzed calls
# (VALGRIND_FUZZ, default 300), so no routine goes unchecked.
# VALGRIND_ALL=1 runs every test file at full size instead (hours).
# --track-origins=yes (which doubles the time) is added with
# VALGRIND_ORIGINS=1, to find where an uninitialised value came from once an
# error is reported.  The per-file times are printed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/consensr-valgrind.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lib" "$work/pkg"
(cd "$root" && tar --exclude=.git --exclude='*.o' --exclude='*.so' -cf - .) | (cd "$work/pkg" && tar -xf -)
if ! command -v valgrind >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ -z "${VALGRIND_NO_INSTALL:-}" ]; then
    echo "valgrind: installing valgrind with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends valgrind >/dev/null 2>&1
  fi
  command -v valgrind >/dev/null || { echo "valgrind: FAILED: valgrind is not installed and could not be (apt-get install valgrind as root)"; exit 1; }
fi

printf 'CFLAGS = -g -O1 -fno-omit-frame-pointer\n' >"$work/Makevars"
if ! R_MAKEVARS_USER="$work/Makevars" R CMD INSTALL --no-multiarch -l "$work/lib" "$work/pkg" \
     >"$work/install.log" 2>&1; then
  cat "$work/install.log"; echo "valgrind: FAILED to build"; exit 1
fi

cat >"$work/run.R" <<EOF
suppressPackageStartupMessages({library(testthat); library(consensr)})
setwd("$work/pkg")
filter <- Sys.getenv("VALGRIND_FILTER")
files <- Sys.getenv("VALGRIND_FILES")
stems <- sub("^test-(.*)[.]R\$", "\\\\1", list.files("tests/testthat", "^test-.*[.]R\$"))
if (!nzchar(filter) && nzchar(files)) {
  cat("valgrind: test files not run under valgrind (see VALGRIND_FILES):",
      paste(grep(files, stems, value = TRUE, invert = TRUE), collapse = ", "), "\n")
  filter <- files
}
res <- as.data.frame(test_dir("tests/testthat", package = "consensr",
                              load_package = "installed", reporter = "summary",
                              filter = if (nzchar(filter)) filter,
                              stop_on_failure = FALSE))
secs <- sort(tapply(res\$real, res\$file, sum), decreasing = TRUE)
cat(sprintf("valgrind: %.0f s in the test files; the longest: %s\n", sum(secs),
            paste(sprintf("%s %.0f s", names(secs), secs)[seq_len(min(8L, length(secs)))],
                  collapse = ", ")))
cat(sprintf("valgrind: tests %d passed, %d failed, %d skipped\n", sum(res\$passed),
            sum(res\$failed) + sum(res\$error), sum(res\$skipped)))
if (nzchar(Sys.getenv("VALGRIND_QUICK"))) {
  cat("valgrind: VALGRIND_QUICK: 0 routines, replay differences 0, 0 fuzzed calls\n")
  quit(save = "no")
}
env <- new.env()
for (e in parse("tests/testthat/test-ffi-fuzz.R")) {
  if (is.call(e) && identical(e[[1L]], as.name("<-"))) eval(e, env)
}
routines <- env\$ffi_fuzz_routines()
seeds <- env\$ffi_fuzz_harvest(workload = env\$ffi_fuzz_workload(n = 100L, m = 40L, B = 10L),
                               max_per_routine = 10L)
bad <- env\$ffi_fuzz_replay(routines, seeds)
n <- as.integer(Sys.getenv("VALGRIND_FUZZ", "300"))
out <- env\$ffi_fuzz_run(routines, seeds, 1L, n, seed = 5L, time_limit = 120)
cat(sprintf("valgrind: %d routines, replay differences %d, %d fuzzed calls\n",
            length(routines), length(bad), nrow(out)))
EOF

# bounded time (see the top of this file)
if [ -n "${VALGRIND_ALL:-}" ]; then
  export VALGRIND_FILES=""
else
  export CONSENSR_TEST_SCALE=${CONSENSR_TEST_SCALE:-0.1}
  export CONSENSR_PROPERTY_N=${CONSENSR_PROPERTY_N:-15}
  export VALGRIND_FILES=${VALGRIND_FILES-^(tally|fraction|consensus|ratings|ffi-bounds|large|property|robustness|sensitivity|agreement|validity|ordinal-consensus|alpha-variance)\$}
fi
origins=""
[ -n "${VALGRIND_ORIGINS:-}" ] && origins="--track-origins=yes"
echo "valgrind: running the tests under valgrind (several minutes)"
R_LIBS="$work/lib" R -d "valgrind --error-exitcode=1 --leak-check=no $origins --num-callers=30 --log-file=$work/vg.%p.log" \
  --vanilla --no-echo -f "$work/run.R" >"$work/run.log" 2>&1
rc=$?
grep -E '^valgrind:' "$work/run.log"

# split the logs into error blocks; keep those that mention consensr.so
awk '
  /^==[0-9]+== *$/ { if (block != "" && block ~ /consensr\.so|\/consensr\/src\/|ffi_|kern_/) { n++; print block "\n" } block = ""; next }
  /^==[0-9]+== / { block = block $0 "\n"; next }
  END { if (block != "" && block ~ /consensr\.so|ffi_|kern_/) { n++; print block } }
' "$work"/vg.*.log >"$work/ours.txt"
ours=$(grep -cE '^==[0-9]+== [A-Z]' "$work/ours.txt" || true)
total=$(grep -hE 'ERROR SUMMARY' "$work"/vg.*.log | awk '{s += $4} END {print s + 0}')
echo "valgrind: $total errors reported in the process in all (R and libraries included)"
if [ ! -s "$work/run.log" ] || ! grep -q "fuzzed calls" "$work/run.log" || ! grep -q "^valgrind: tests" "$work/run.log"; then
  tail -n 40 "$work/run.log"
  echo "valgrind: FAILED: the run did not finish (exit $rc)"
  exit 1
fi
if [ -s "$work/ours.txt" ]; then
  cat "$work/ours.txt" | head -n 200
  echo "valgrind: FAILED: $ours errors involve consensr code"
  exit 1
fi
if grep -qE 'tests [0-9]+ passed, [1-9]' "$work/run.log"; then
  echo "valgrind: FAILED: tests failed under valgrind"; exit 1
fi
echo "valgrind: 0 errors in consensr code"
