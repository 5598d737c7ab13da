#!/usr/bin/env bash
# Layer 1 of the real-LiteLLM checks (npm run test:litellm:layer1): keyward's request bodies and budget
# period answers against the real `litellm` package, for the two releases in test/litellm/versions.json.
#   test/litellm/layer1/run.sh [--no-build] [--with-suite] [VERSION ...]
#   --no-build    use the existing dist/ (CI builds it in npm test just before)
#   --with-suite  also validate every body the command and e2e tests send (test server opt-in
#                 KEYWARD_CAPTURE_BODIES)
#   VERSION ...   check these releases instead of versions.json's newest and old
# Venvs come from test/litellm/venv.sh (cached). Progress goes to stderr; a pass/fail summary to stdout;
# exit 1 when any check fails.
set -euo pipefail
cd "$(dirname "$0")/../../.."

build=1
suite=0
versions=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --with-suite) suite=1 ;;
    -*) echo "layer1: unknown option $arg" >&2; exit 2 ;;
    *) versions+=("$arg") ;;
  esac
done
if [[ ${#versions[@]} -eq 0 ]]; then
  read -r -a versions <<<"$(node -e 'const v = require("./test/litellm/versions.json"); console.log(v.newest, v.old)')"
fi

started=$SECONDS
work="$(mktemp -d "${TMPDIR:-/tmp}/keyward-layer1.XXXXXX")"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The venvs (in the background: a cold install takes minutes) while keyward is built and captured.
for v in "${versions[@]}"; do
  (bash test/litellm/venv.sh "$v" >"$work/venv-$v" 2>"$work/venv-$v.log"; echo $? >"$work/venv-$v.rc") &
  pids+=($!)
done

if [[ $build -eq 1 ]]; then
  echo "layer1: building keyward" >&2
  npm run -s build >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; echo "layer1: FAIL build" >&2; exit 1; }
fi

# 2. The bodies, from keyward's own request builders (the CLI against the test server).
echo "layer1: capturing request bodies" >&2
status_capture=ok
node_modules/.bin/tsx test/litellm/layer1/capture.ts "$work/bodies.jsonl" 2>"$work/capture.log" || status_capture=FAIL
cat "$work/capture.log" >&2
if [[ $suite -eq 1 ]]; then
  echo "layer1: capturing the bodies the command and e2e tests send" >&2
  KEYWARD_CAPTURE_BODIES="$work/suite.jsonl" node --experimental-vm-modules node_modules/jest/bin/jest.js test/commands test/e2e >"$work/suite.log" 2>&1 || { tail -20 "$work/suite.log" >&2; status_capture=FAIL; }
  # Tests that feed the server hostile input on purpose POST to it directly, not through keyward:
  # only test/commands and test/e2e run here, and every body they make comes from the CLI.
  [[ -f "$work/suite.jsonl" ]] && cat "$work/suite.jsonl" >>"$work/bodies.jsonl"
fi

for i in "${!pids[@]}"; do wait "${pids[$i]}" || true; done
pids=()

# 3. Both checks, for each release, side by side.
declare -A result
failed=0
[[ $status_capture == ok ]] || failed=1
for v in "${versions[@]}"; do
  [[ "$(cat "$work/venv-$v.rc")" == 0 ]] || continue
  py="$(cat "$work/venv-$v")/bin/python"
  echo "layer1: check_bodies and check_periods on litellm $v" >&2
  for check in check_bodies check_periods; do
    args=()
    [[ $check == check_bodies ]] && args=("$work/bodies.jsonl")
    ("$py" "test/litellm/layer1/$check.py" "${args[@]}" >"$work/$check-$v.out" 2>"$work/$check-$v.err"; echo $? >"$work/$check-$v.rc") &
    pids+=($!)
  done
done
for i in "${!pids[@]}"; do wait "${pids[$i]}" || true; done
pids=()
for v in "${versions[@]}"; do
  if [[ "$(cat "$work/venv-$v.rc")" != 0 ]]; then
    grep -v 'is ignored' "$work/venv-$v.log" | tail -5 >&2
    result[$v]="FAIL venv (test/litellm/venv.sh $v)"
    failed=1
    continue
  fi
  line=""
  for check in check_bodies check_periods; do
    if [[ "$(cat "$work/$check-$v.rc")" == 0 ]]; then
      line+="$check ok; "
    else
      line+="$check FAIL; "
      failed=1
    fi
    grep -v '^documented difference' "$work/$check-$v.out" | grep -v '^note:' | sed '$d' >&2 || true
    grep -v 'is ignored' "$work/$check-$v.err" | grep -v 'LiteLLM:WARNING' >&2 || true
    tail -1 "$work/$check-$v.out" | sed 's/^/  /' >"$work/$check-$v.summary"
  done
  result[$v]="$line"
done

# 4. Summary (stdout).
echo "layer 1: keyward against the litellm package ($(( SECONDS - started )) s)"
echo "  capture: $status_capture ($(wc -l <"$work/bodies.jsonl") bodies)"
for v in "${versions[@]}"; do
  echo "litellm $v: ${result[$v]% }"
  for check in check_bodies check_periods; do
    [[ -f "$work/$check-$v.summary" ]] && cat "$work/$check-$v.summary"
    [[ -f "$work/$check-$v.out" ]] && grep -E '^(documented difference|note:)' "$work/$check-$v.out" | cut -c1-160 | sed 's/^/    /' || true
  done
done
if [[ $failed -ne 0 ]]; then
  echo "layer 1: FAIL"
  exit 1
fi
echo "layer 1: ok"
