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
  before=$(ls "artifacts/$t" | wc -l)
  # New inputs go to corpus/ (not committed); seeds/ holds the committed starting set.
  # Fork mode with one worker: a single fuzzing process at a time, which goes on after a
  # crash (each crash is saved) instead of ending the run.
  cargo +nightly fuzz run --sanitizer "$sanitizer" --debug-assertions "$t" "corpus/$t" "seeds/$t" -- \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    "${dict[@]}" >"$log" 2>&1
  rc=$?
  runs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  found=$(( $(ls "artifacts/$t" | wc -l) - before ))
  if [ $found -gt 0 ]; then
    result="$found CRASH(ES) in artifacts/$t/ (newest: $(ls -t "artifacts/$t" | head -1))"
    status=1
  elif [ $rc -ne 0 ]; then
    result="failed (exit $rc): see $log"
    status=1
  else
    result="no crash"
  fi
  summary+=("$(printf '%-14s %6ss %12s runs  %s' "$t" "$seconds" "${runs:-?}" "$result")")
  echo "${summary[-1]}"
done
echo
echo "target         time          runs  result"
printf '%s\n' "${summary[@]}"
exit $status
