#!/usr/bin/env bash
# Build and run the libFuzzer targets of consensr's C kernels.
#
#   tools/fuzz/run.sh                 every target, FUZZ_TIME seconds each
#   tools/fuzz/run.sh fuzz_tally      one target
#   FUZZ_TIME=600 tools/fuzz/run.sh   longer runs
#   tools/fuzz/run.sh fuzz_tally CRASH_FILE   replay one input
#
# Discovery, at the time it runs:
# - every src/kern_*.c is compiled (clang-14, -fsanitize=fuzzer-no-link,
#   address,undefined); a kernel that does not compile is reported and the
#   targets are linked without it (a target that then fails to link is
#   skipped, and said so);
# - every tools/fuzz/fuzz_*.c is a target (linked with all kernel objects);
# - every external function defined by a kernel object (nm) must be called
#   by some target: a kernel function no target mentions is reported as
#   UNFUZZED and the run fails, so that a new kernel gets a target.
# Exit status: 0 only when every target was built and ran with no finding
# and every kernel function is fuzzed.  Anything that could not be built or
# run fails the run, naming it: a missing compiler or libFuzzer runtime (1),
# a finding (1), a kernel or target that does not compile or link (3), a
# target that did not run (3), a kernel function no target calls (2).  A
# run can never pass empty.
#
# Needs clang-14 and libclang-rt-14-dev: when missing they are installed
# with apt-get (as root; FUZZ_NO_INSTALL=1 to refuse), or the run says in
# one line why it cannot and fails.  Corpora and crash files go to
# $FUZZ_WORK (default /tmp/consensr-fuzz), kept between runs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
CC=${CC_FUZZ:-clang-14}
FUZZ_TIME=${FUZZ_TIME:-120}
work=${FUZZ_WORK:-/tmp/consensr-fuzz}
mkdir -p "$work/obj" "$work/bin"
flags="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"

# the toolchain: install what is missing, or say why not and fail
install_pkgs() {
  if [ -n "${FUZZ_NO_INSTALL:-}" ]; then echo "fuzz: not installing $* (FUZZ_NO_INSTALL is set)"; return 1; fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "fuzz: cannot install $* (needs root and apt-get)"; return 1
  fi
  echo "fuzz: installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >"$work/apt.log" 2>&1 ||
    { tail -n 5 "$work/apt.log"; return 1; }
}
if ! command -v "$CC" >/dev/null 2>&1; then
  install_pkgs clang-14 libclang-rt-14-dev
  if ! command -v "$CC" >/dev/null 2>&1; then
    echo "fuzz: FAILED: $CC not found and could not be installed: no target can be built"
    exit 1
  fi
fi
# can a libFuzzer program be linked at all (the runtime is a separate package)?
probe() {
  printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$work/probe.c"
  "$CC" $flags -fsanitize=fuzzer "$work/probe.c" -o "$work/probe" >"$work/probe.log" 2>&1
}
if ! probe; then
  install_pkgs libclang-rt-14-dev
  if ! probe; then
    echo "fuzz: FAILED: $CC cannot link a libFuzzer program ($(grep -m1 -iE 'error|cannot' "$work/probe.log")): no target can run; install libclang-rt-14-dev"
    exit 1
  fi
fi

# 1. kernels
objs=()
broken_kernels=()
rm -f "$work"/obj/*.o
for src in "$root"/src/kern_*.c; do
  stem=$(basename "$src" .c)
  if "$CC" $flags -fsanitize=fuzzer-no-link -I"$root/src" -c "$src" \
       -o "$work/obj/$stem.o" 2>"$work/obj/$stem.log"; then
    objs+=("$work/obj/$stem.o")
  else
    broken_kernels+=("$stem")
    echo "fuzz: FAILED kernel $stem.c: it does not compile (see $work/obj/$stem.log)"
  fi
done

# 2. targets
targets=()
if [ $# -ge 1 ]; then
  targets=("$here/$1.c")
else
  for t in "$here"/fuzz_*.c; do targets+=("$t"); done
fi
built=()
skipped=()
for t in "${targets[@]}"; do
  name=$(basename "$t" .c)
  if "$CC" $flags -fsanitize=fuzzer -I"$root/src" -I"$here" "$t" "${objs[@]}" \
       -lm -o "$work/bin/$name" 2>"$work/bin/$name.log"; then
    built+=("$name")
  else
    skipped+=("$name")
    echo "fuzz: FAILED target $name: it does not compile or link against the current kernels:"
    sed -n '1,8p' "$work/bin/$name.log" | sed 's/^/    /'
  fi
done

# replay mode
if [ $# -ge 2 ]; then
  exec "$work/bin/$1" "$2"
fi

# 3. coverage of the kernel functions by the targets
unfuzzed=()
for o in "${objs[@]}"; do
  stem=$(basename "$o" .o)
  for fn in $(nm --defined-only -g "$o" | awk '$2 == "T" {print $3}'); do
    if ! grep -qw "$fn" "$here"/fuzz_*.c; then
      unfuzzed+=("$fn ($stem.c)")
    fi
  done
done

# 4. runs
findings=0
notrun=()
printf '%-20s %10s %10s %8s %8s  %s\n' target runs exec/s cov ft result > "$work/summary.txt"
for name in "${built[@]}"; do
  mkdir -p "$work/corpus/$name"
  log="$work/$name.log"
  echo "fuzz: $name for ${FUZZ_TIME}s"
  "$work/bin/$name" -max_total_time="$FUZZ_TIME" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/$name-" \
    "$work/corpus/$name" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | awk '{print $2}')
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -n 1 | awk '{print $2}')
  if [ -z "$runs" ] || [ "${runs:-0}" -eq 0 ]; then
    result="DID NOT RUN (exit $rc), see $log"
    notrun+=("$name")
    tail -n 5 "$log" | sed 's/^/    /'
  elif [ $rc -eq 0 ] && ! grep -qE 'ERROR: (AddressSanitizer|libFuzzer|UndefinedBehaviorSanitizer)|runtime error:|fuzz check failed' "$log"; then
    result="ok, 0 findings"
  else
    result="FINDING (exit $rc), see $log"
    findings=$((findings + 1))
    grep -E 'runtime error:|fuzz check failed|ERROR:|SUMMARY:' "$log" | head -n 5 | sed 's/^/    /'
  fi
  printf '%-20s %10s %10s %8s %8s  %s\n' "$name" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$result" >> "$work/summary.txt"
done

echo
echo "== fuzz summary ($(date -u +%Y-%m-%dT%H:%MZ), ${FUZZ_TIME}s per target, $CC)"
cat "$work/summary.txt"
for k in "${broken_kernels[@]+"${broken_kernels[@]}"}"; do echo "FAILED kernel (does not compile): $k"; done
for s in "${skipped[@]+"${skipped[@]}"}"; do echo "FAILED target (does not compile or link): $s"; done
for s in "${notrun[@]+"${notrun[@]}"}"; do echo "FAILED target (did not run): $s"; done
for u in "${unfuzzed[@]+"${unfuzzed[@]}"}"; do echo "UNFUZZED kernel function: $u"; done
ran=$(( ${#built[@]} - ${#notrun[@]} ))
echo "fuzz: ${#targets[@]} targets, $ran run, $findings with findings, ${#skipped[@]} not built, ${#notrun[@]} did not run, ${#broken_kernels[@]} kernels not compiled, ${#unfuzzed[@]} kernel functions not fuzzed"
if [ $findings -gt 0 ]; then echo "fuzz: FAILED: findings"; exit 1; fi
if [ ${#broken_kernels[@]} -gt 0 ] || [ ${#skipped[@]} -gt 0 ] || [ ${#notrun[@]} -gt 0 ] || [ "$ran" -lt 1 ]; then
  echo "fuzz: FAILED: not every target was built and run: ${broken_kernels[*]+${broken_kernels[*]}} ${skipped[*]+${skipped[*]}} ${notrun[*]+${notrun[*]}}"
  exit 3
fi
if [ ${#unfuzzed[@]} -gt 0 ] && [ $# -eq 0 ]; then echo "fuzz: FAILED: kernel functions not fuzzed"; exit 2; fi
echo "fuzz: OK"
exit 0
