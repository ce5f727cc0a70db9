#!/usr/bin/env bash
# Build consensr with AddressSanitizer and UndefinedBehaviorSanitizer and
# run the whole test suite, then a workload with large inputs, under them.
#
#   tools/sanitize.sh          (or: make sanitize)
#
# - the package is built from a copy of this tree with
#   -fsanitize=address,undefined -fno-omit-frame-pointer
#   -fno-sanitize-recover=undefined (a temporary R_MAKEVARS_USER file) and
#   installed into a temporary library;
# - R is run with LD_PRELOAD=$(gcc -print-file-name=libasan.so) and
#   ASAN_OPTIONS=detect_leaks=0 (R leaks by design);
# - R keeps vectors of up to 128 bytes in its own pages, which ASan does not
#   guard, so after the tests every registered .Call routine is driven with
#   inputs of kilobytes to megabytes: the package workload at 400 x 150,
#   every recorded call replayed, and 3,000 fuzzed calls.  The routines are
#   discovered at run time; one that gets no input larger than 1 KiB fails
#   the run.
# Prints the sanitizer reports, if any, and "sanitize: 0 errors" or fails.
# Every stage must run and print its figures: a stage that could not be
# built or run fails the whole run, naming it (never a silent pass).
# SANITIZE_FILTER: a testthat filter (regular expression on the test file
# stems) to run part of the suite, and SANITIZE_QUICK=1 (the test suite
# only, no large inputs or gctorture), both for tools/test-gates.sh.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/consensr-sanitize.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lib" "$work/pkg"
# a clean copy (no objects compiled without the sanitizers)
(cd "$root" && tar --exclude=.git --exclude='*.o' --exclude='*.so' -cf - .) | (cd "$work/pkg" && tar -xf -)

# the runtime: gcc's libasan (installed with apt-get when missing, as root)
asan=$(gcc -print-file-name=libasan.so)
if [ ! -f "$asan" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ -z "${SANITIZE_NO_INSTALL:-}" ]; then
    echo "sanitize: installing libasan8 libubsan1 with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libasan8 libubsan1 >/dev/null 2>&1
    asan=$(gcc -print-file-name=libasan.so)
  fi
  [ -f "$asan" ] || { echo "sanitize: FAILED: gcc's libasan.so not found (apt-get install libasan8 as root): nothing can run"; exit 1; }
fi

cat >"$work/Makevars" <<'EOF'
CFLAGS = -g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS = -fsanitize=address,undefined
EOF
echo "sanitize: building with $(sed -n 's/^CFLAGS = //p' "$work/Makevars")"
if ! R_MAKEVARS_USER="$work/Makevars" R CMD INSTALL --no-test-load --no-multiarch \
     -l "$work/lib" "$work/pkg" >"$work/install.log" 2>&1; then
  cat "$work/install.log"
  echo "sanitize: FAILED to build"
  exit 1
fi
grep -q -- "-fsanitize=address,undefined" "$work/install.log" || {
  echo "sanitize: FAILED: the sanitizer flags did not reach the compiler"; exit 1; }

export LD_PRELOAD="$asan"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:detect_odr_violation=0:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export R_LIBS="$work/lib"

cd "$work/pkg"
echo "sanitize: running the test suite under ASan/UBSan"
Rscript -e '
suppressPackageStartupMessages({library(testthat); library(consensr)})
filter <- Sys.getenv("SANITIZE_FILTER")
res <- as.data.frame(test_dir("tests/testthat", package = "consensr",
                              load_package = "installed", reporter = "summary",
                              filter = if (nzchar(filter)) filter,
                              stop_on_failure = FALSE))
failed <- sum(res$failed) + sum(res$error)
cat(sprintf("sanitize: tests %d passed, %d failed, %d skipped\n",
            sum(res$passed), failed, sum(res$skipped)))
quit(status = if (failed > 0) 1 else 0)
' >"$work/tests.log" 2>&1
tests_rc=$?
tail -n 3 "$work/tests.log"

if [ -n "${SANITIZE_QUICK:-}" ]; then
  echo "sanitize: SANITIZE_QUICK: large inputs and gctorture not run" | tee "$work/large.log" >"$work/torture.log"
  large_rc=0; torture_rc=0
else
echo "sanitize: large inputs through every registered routine"
Rscript -e '
suppressPackageStartupMessages(library(consensr))
env <- new.env()
for (e in parse("tests/testthat/test-ffi-fuzz.R")) {
  if (is.call(e) && identical(e[[1L]], as.name("<-"))) eval(e, env)
}
routines <- env$ffi_fuzz_routines()
seeds <- env$ffi_fuzz_harvest(workload = env$ffi_fuzz_workload(n = 400L, m = 150L, B = 30L),
                              max_per_routine = 25L)
bytes <- vapply(names(routines), function(nm) {
  s <- seeds[[nm]]
  if (length(s) == 0L) return(0)
  max(vapply(s, function(x) max(vapply(x$args, function(a) as.numeric(utils::object.size(a)), 0)), 0))
}, 0)
cat(sprintf("  %-16s largest argument %9.0f bytes, %2d recorded calls\n", names(bytes), bytes,
            lengths(seeds[names(bytes)])), sep = "")
bad <- env$ffi_fuzz_replay(routines, seeds)
if (length(bad)) { cat("replay differs:", bad, sep = "\n  "); quit(status = 1) }
res <- env$ffi_fuzz_run(routines, seeds, 1L, 3000L, seed = 11L, time_limit = 30)
cat(sprintf("sanitize: %d fuzzed calls (%d values, %d errors, %d timeouts)\n", nrow(res),
            sum(res$outcome == "value"), sum(res$outcome == "error"),
            sum(res$outcome == "timeout")))
small <- names(bytes)[bytes < 1024]
if (length(small)) {
  cat("sanitize: no input larger than 1 KiB reached", paste(small, collapse = ", "), "\n")
  quit(status = 1)
}
' >"$work/large.log" 2>&1
large_rc=$?
cat "$work/large.log" | grep -vE '^==[0-9]+==' | tail -n 12

echo "sanitize: gctorture over every routine under ASan (a freed vector written to is reported)"
Rscript "$root/tools/gctorture.R" 10 >"$work/torture.log" 2>&1
torture_rc=$?
grep -E '^gctorture:' "$work/torture.log" | tail -n 3

fi

reports=$(cat "$work/tests.log" "$work/large.log" "$work/torture.log" |
  grep -cE 'ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer|SUMMARY: (Address|UndefinedBehavior)Sanitizer')
# each stage must have printed its figures (it ran to the end)
notrun=()
grep -q '^sanitize: tests [0-9]* passed' "$work/tests.log" || notrun+=("test suite")
if [ -z "${SANITIZE_QUICK:-}" ]; then
  grep -q '^sanitize: [0-9]* fuzzed calls' "$work/large.log" || notrun+=("large inputs")
  grep -qE '^gctorture:' "$work/torture.log" || notrun+=("gctorture")
fi
if [ "$reports" -gt 0 ]; then
  echo "== sanitizer reports"
  cat "$work/tests.log" "$work/large.log" "$work/torture.log" |
    grep -E -A 30 'ERROR: AddressSanitizer|runtime error:' | head -n 120
fi
for s in "${notrun[@]+"${notrun[@]}"}"; do echo "sanitize: FAILED stage (did not run to the end): $s"; done
echo "sanitize: figures: $reports sanitizer reports; tests exit $tests_rc, large inputs exit $large_rc, gctorture exit $torture_rc"
if [ "$reports" -gt 0 ] || [ $tests_rc -ne 0 ] || [ $large_rc -ne 0 ] || [ $torture_rc -ne 0 ] || [ ${#notrun[@]} -gt 0 ]; then
  [ $tests_rc -ne 0 ] && tail -n 40 "$work/tests.log"
  [ $large_rc -ne 0 ] && tail -n 20 "$work/large.log"
  [ $torture_rc -ne 0 ] && tail -n 20 "$work/torture.log"
  echo "sanitize: FAILED: $reports sanitizer reports (tests exit $tests_rc, large inputs exit $large_rc, gctorture exit $torture_rc)"
  exit 1
fi
echo "sanitize: 0 errors (ASan + UBSan: test suite, large inputs, gctorture)"
