#!/usr/bin/env bash
# Run every fuzz target (or the ones named) for SECONDS each, one after the other, one
# process at a time, and print per target the runs executed and whether it found a crash.
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]      (default: 60 s, every target)
# Needs the nightly toolchain and cargo-fuzz (see fuzz/README.md). Not run in CI.
# FUZZ_SANITIZER=address for AddressSanitizer (slower; the code under test is safe Rust).
set -u
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(frontmatter yaml_document yaml_unit vi_number vi_date vi_slug markdown)
fi
sanitizer=${FUZZ_SANITIZER:-none}
cargo +nightly fuzz build --sanitizer "$sanitizer" --debug-assertions || exit 2
summary=()
status=0
for t in "${targets[@]}"; do
  dict=()
  case $t in
    yaml_*|frontmatter) dict=(-dict=dict/yaml.dict) ;;
    markdown) dict=(-dict=dict/markdown.dict) ;;
  esac
  mkdir -p "corpus/$t" "artifacts/$t"
  mkdir -p logs
  log="logs/$t.log"
  # New inputs go to corpus/ (not committed); seeds/ holds the committed starting set.
  cargo +nightly fuzz run --sanitizer "$sanitizer" --debug-assertions "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
    "${dict[@]}" >"$log" 2>&1
  rc=$?
  runs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -aoE '[0-9]+$' | tail -1)
  [ -z "$runs" ] && runs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  crash=$(grep -aoE 'Test unit written to [^ ]+' "$log" | sed 's/Test unit written to //' | tail -1)
  if [ $rc -eq 0 ]; then
    result="no crash"
  else
    result="CRASH (exit $rc): ${crash:-see $log}"
    status=1
  fi
  summary+=("$(printf '%-14s %6ss %12s runs  %s' "$t" "$seconds" "${runs:-?}" "$result")")
  echo "${summary[-1]}"
done
echo
echo "target         time          runs  result"
printf '%s\n' "${summary[@]}"
exit $status
