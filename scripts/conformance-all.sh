#!/usr/bin/env bash
# Runs every conformance suite over the upstream data and checks each pass count against the floor
# in .ci/conformance-floor. Prints each suite's failing cases and its `N passed, N failed` line.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
while read -r suite floor inputs; do
  case "$suite" in ''|'#'*) continue ;; esac
  echo "== conformance $suite $inputs"
  out=$(node tools/conformance/dist/main.js "$suite" $inputs 2>&1)
  echo "$out" | grep -E '^(FAIL |[0-9]+ passed)' | tail -n 40
  passed=$(echo "$out" | sed -n 's/^\([0-9][0-9]*\) passed, [0-9][0-9]* failed$/\1/p' | tail -n1)
  if [ -z "$passed" ]; then
    echo "conformance: $suite did not report its counts" >&2
    echo "$out" | tail -n 20 >&2
    status=1
  elif [ "$passed" -lt "$floor" ]; then
    echo "conformance: $suite passed $passed cases, below the floor of $floor" >&2
    status=1
  fi
done < .ci/conformance-floor
exit $status
