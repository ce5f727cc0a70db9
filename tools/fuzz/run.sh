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
# Exit status: 0 when every target ran with no finding and every kernel
# function is fuzzed; 1 on a finding (crash, sanitizer report, failed
# check); 2 when a kernel function is not fuzzed; compile failures of a
# target only skip it (status 0 if nothing else went wrong).
#
# Needs clang-14 and libclang-rt-14-dev (apt-get install clang-14
# libclang-rt-14-dev).  Corpora and crash files go to $FUZZ_WORK
# (default /tmp/consensr-fuzz), kept between runs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
CC=${CC_FUZZ:-clang-14}
FUZZ_TIME=${FUZZ_TIME:-120}
work=${FUZZ_WORK:-/tmp/consensr-fuzz}
mkdir -p "$work/obj" "$work/bin"
flags="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"

if ! command -v "$CC" >/dev/null 2>&1; then
  echo "fuzz: $CC not found (apt-get install clang-14 libclang-rt-14-dev)"
  exit 1
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
    echo "fuzz: SKIPPED kernel $stem.c: it does not compile (see $work/obj/$stem.log)"
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
    echo "fuzz: SKIPPED target $name: it does not compile or link against the current kernels:"
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
  if [ $rc -eq 0 ] && ! grep -qE 'ERROR: (AddressSanitizer|libFuzzer|UndefinedBehaviorSanitizer)|runtime error:|fuzz check failed' "$log"; then
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
for k in "${broken_kernels[@]+"${broken_kernels[@]}"}"; do echo "SKIPPED kernel (does not compile): $k"; done
for s in "${skipped[@]+"${skipped[@]}"}"; do echo "SKIPPED target (does not compile): $s"; done
for u in "${unfuzzed[@]+"${unfuzzed[@]}"}"; do echo "UNFUZZED kernel function: $u"; done
echo "fuzz: ${#built[@]} targets run, $findings with findings, ${#skipped[@]} skipped, ${#unfuzzed[@]} kernel functions not fuzzed"
if [ $findings -gt 0 ]; then exit 1; fi
if [ ${#unfuzzed[@]} -gt 0 ] && [ $# -eq 0 ]; then exit 2; fi
exit 0
