#!/usr/bin/env bash
# Run every fuzz target of BUILD_DIR for SECONDS each, from a scratch copy of its seed corpus (the
# corpus under tests/ is never modified), with its dictionary where there is one.
#   tests/fuzz/run_fuzzers.sh BUILD_DIR SECONDS [TARGET...]
# Exit status: non-zero when a target crashed; the reproducer (crash-*, leak-*, timeout-*) is left
# in BUILD_DIR/fuzz-artifacts/TARGET/ and its path is printed. Each target prints a summary line
# "fuzz TARGET: N runs in S s, corpus K inputs".
set -euo pipefail
build=$(realpath "$1")
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
((${#targets[@]})) || targets=(csv npy npz decimal counterexample certificate checkpoint cli)
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$here/../ubsan.supp}
status=0
for t in "${targets[@]}"; do
  corpus="$build/fuzz-corpus/$t"
  artifacts="$build/fuzz-artifacts/$t"
  rm -rf "$corpus"
  mkdir -p "$corpus" "$artifacts"
  cp "$here/corpus/$t"/* "$corpus"/
  [ -d "$here/regressions/$t" ] && cp "$here/regressions/$t"/* "$corpus"/ 2>/dev/null || true
  dict=()
  [ -f "$here/$t.dict" ] && dict=(-dict="$here/$t.dict")
  log="$artifacts/fuzz.log"
  if "$build/tests/fuzz/fuzz_$t" "${dict[@]}" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 \
       -max_len=8192 -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1; then
    runs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    echo "fuzz $t: ${runs:-?} runs in $seconds s, corpus $(ls "$corpus" | wc -l) inputs"
  else
    status=1
    echo "fuzz $t: FAILED, see $log"
    grep -E 'ERROR|SUMMARY|certbound fuzz|Test unit written' "$log" | head -20 || true
  fi
done
exit $status
