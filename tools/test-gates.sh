#!/usr/bin/env bash
# Tests of the safety gates themselves (issue 15): each gate is run on a
# copy of this tree broken on purpose, and must fail (non-zero exit) and
# name what broke.  A gate that passes on a broken tree fails this script.
#
#   tools/test-gates.sh           fuzz cases (about 1 minute), then the
#                                 sanitizer and valgrind cases (a few more)
#   GATES=fuzz tools/test-gates.sh      only the fuzz cases
#
# Cases:
#   fuzz-no-compiler   CC_FUZZ names no compiler (install refused)
#   fuzz-no-runtime    the compiler cannot link -fsanitize=fuzzer (install refused)
#   fuzz-broken-target a target that does not compile
#   fuzz-finding       a target with a heap overflow
#   sanitize-build     a kernel that does not compile
#   sanitize-overflow  a heap overflow in ffi_tally, run by test-tally.R
#   valgrind-build     a kernel that does not compile
#   valgrind-overflow  the same heap overflow under valgrind
# Prints one line per case and "gates: N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
GATES=${GATES:-fuzz sanitize valgrind}
work=$(mktemp -d /tmp/consensr-gates.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

fresh() {  # a clean copy of the tree in $work/$1
  rm -rf "$work/$1" && mkdir -p "$work/$1"
  (cd "$root" && tar --exclude=.git --exclude='*.o' --exclude='*.so' -cf - .) | (cd "$work/$1" && tar -xf -)
}

# expect_fail NAME PATTERN CMD...: CMD must exit non-zero and print PATTERN
expect_fail() {
  local name=$1 pattern=$2
  shift 2
  "$@" >"$work/$name.log" 2>&1
  local rc=$?
  if [ $rc -ne 0 ] && grep -qE "$pattern" "$work/$name.log"; then
    echo "gate $name: ok (exit $rc, says: $(grep -m1 -oE "$pattern.{0,60}" "$work/$name.log"))"
    grep -m1 -E 'ERROR: AddressSanitizer|runtime error:|Invalid (read|write)' "$work/$name.log" | sed 's/^/    report: /'
    passed=$((passed + 1))
  else
    echo "gate $name: NOT CAUGHT (exit $rc; expected non-zero and /$pattern/)"
    tail -n 15 "$work/$name.log" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
}

overflow='{ volatile int *bad_ = (int *)malloc(8); bad_[2] = 1; free((void *)bad_); }'

if [[ " $GATES " == *" fuzz "* ]]; then
  fresh fz
  expect_fail fuzz-no-compiler "FAILED: no-such-clang not found" \
    env CC_FUZZ=no-such-clang FUZZ_NO_INSTALL=1 FUZZ_WORK="$work/fw0" FUZZ_TIME=2 bash "$work/fz/tools/fuzz/run.sh"
  # a compiler that compiles but cannot link libFuzzer programs
  cat >"$work/cc-noruntime" <<'EOF'
#!/usr/bin/env bash
for a in "$@"; do [ "$a" = "-fsanitize=fuzzer" ] && { echo "ld: cannot find libclang_rt.fuzzer-x86_64.a" >&2; exit 1; }; done
exec clang-14 "$@"
EOF
  chmod +x "$work/cc-noruntime"
  expect_fail fuzz-no-runtime "FAILED: .*cannot link a libFuzzer program" \
    env CC_FUZZ="$work/cc-noruntime" FUZZ_NO_INSTALL=1 FUZZ_WORK="$work/fw1" FUZZ_TIME=2 bash "$work/fz/tools/fuzz/run.sh"
  fresh fz
  echo '#error broken on purpose by tools/test-gates.sh' >>"$work/fz/tools/fuzz/fuzz_tally.c"
  expect_fail fuzz-broken-target "FAILED target \(does not compile or link\): fuzz_tally" \
    env FUZZ_WORK="$work/fw2" FUZZ_TIME=2 bash "$work/fz/tools/fuzz/run.sh"
  fresh fz
  sed -i "s|^int LLVMFuzzerTestOneInput(const uint8_t \*data, size_t size) {|&\n  if (size > 3) $overflow|" "$work/fz/tools/fuzz/fuzz_ordinal.c"
  expect_fail fuzz-finding "fuzz_ordinal .*FINDING" \
    env FUZZ_WORK="$work/fw3" FUZZ_TIME=10 bash "$work/fz/tools/fuzz/run.sh"
fi

if [[ " $GATES " == *" sanitize "* ]]; then
  fresh sb
  echo 'this does not compile;' >>"$work/sb/src/kern_tally.c"
  expect_fail sanitize-build "sanitize: FAILED to build" bash "$work/sb/tools/sanitize.sh"
  fresh so
  sed -i "s|^SEXP ffi_tally(SEXP codes, SEXP group, SEXP n_group, SEXP n_level) {|&\n  $overflow|" "$work/so/src/tally.c"
  expect_fail sanitize-overflow "sanitize: FAILED: [1-9][0-9]* sanitizer reports" \
    env SANITIZE_FILTER='^tally$' SANITIZE_QUICK=1 bash "$work/so/tools/sanitize.sh"
fi

if [[ " $GATES " == *" valgrind "* ]]; then
  fresh vb
  echo 'this does not compile;' >>"$work/vb/src/kern_tally.c"
  expect_fail valgrind-build "valgrind: FAILED to build" bash "$work/vb/tools/valgrind.sh"
  fresh vo
  sed -i "s|^SEXP ffi_tally(SEXP codes, SEXP group, SEXP n_group, SEXP n_level) {|&\n  $overflow|" "$work/vo/src/tally.c"
  expect_fail valgrind-overflow "valgrind: FAILED: [0-9]+ errors involve consensr code" \
    env VALGRIND_FILTER='^tally$' VALGRIND_QUICK=1 bash "$work/vo/tools/valgrind.sh"
fi

echo "gates: $passed passed, $failed failed"
[ $failed -eq 0 ]
