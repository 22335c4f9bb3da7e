#!/usr/bin/env bash
# Sets everything up and runs every test: native unit + CLI tests (ctest), the same core tests
# built with emcc under node, and the browser tests in headless Chromium. Ends with one line
# "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/setup.sh" || { echo "test.sh: set-up failed"; echo "0 passed, 1 failed"; exit 1; }
source "$here/env.sh"
cd "$KPIX_ROOT"
logs="$KPIX_ROOT/build/test-logs"
mkdir -p "$logs"

passed=0
failed=0
step_failed=()
add() { passed=$((passed + $1)); failed=$((failed + $2)); }
# A step that could not even run counts as one failure.
broken() { echo "test.sh: $1 failed to build or run (see $2)"; step_failed+=("$1"); add 0 1; }
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

# Adds a step's counts, and fails the step when its process exited non-zero although every
# test passed (a LeakSanitizer report after the summary, a crash at exit) or when it ran nothing:
# counted NAME PASSED FAILED EXIT_CODE
counted() {
    local name="$1" p="$2" f="$3" rc="$4"
    add "$p" "$f"
    if [ "$f" -ne 0 ]; then
        step_failed+=("$name")
    elif [ "$rc" -ne 0 ]; then
        echo "test.sh: $name exited with $rc after its tests passed"
        step_failed+=("$name (exit $rc)")
        add 0 1
    elif [ "$p" -eq 0 ]; then
        echo "test.sh: $name ran no test"
        step_failed+=("$name (no test ran)")
        add 0 1
    fi
}

# Counts a Catch2 v2 run from its summary line and exit code: catch_count NAME LOG EXIT_CODE.
# Catch2 v2 prints "All tests passed (A assertions in N test cases)", or
# "test cases: N | P passed | F failed", or "test cases: N | F failed" when every case failed.
catch_count() {
    local name="$1" log="$2" rc="$3" line n f
    tail -n 3 "$log"
    if line=$(grep -E "^All tests passed \([0-9]+ assertions? in [0-9]+ test cases?\)" "$log" | tail -1) && [ -n "$line" ]; then
        n=$(echo "$line" | sed -E 's/.* in ([0-9]+) test case.*/\1/')
        counted "$name" "$n" 0 "$rc"
    elif line=$(grep -E "^test cases: +[0-9]+ +\|" "$log" | tail -1) && [ -n "$line" ]; then
        n=$(echo "$line" | sed -E 's/^test cases: +([0-9]+) .*/\1/')
        f=$(echo "$line" | grep -oE "[0-9]+ failed" | grep -oE "[0-9]+" || echo 0)
        counted "$name" $((n - f)) "$f" "$rc"
    else
        broken "$name" "$log"
    fi
}

# 1. Native: unit tests and CLI tests through ctest.
t0=$(date +%s)
if "$here/build.sh" native-release >"$logs/native-build.log" 2>&1; then
    ctest --preset native >"$logs/ctest.log" 2>&1
    rc=$?
    tail -n 30 "$logs/ctest.log" | grep -E "tests passed|Failed|\*\*\*" || true
    line=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$logs/ctest.log" | tail -1)
    if [ -n "$line" ]; then
        f=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
        n=$(echo "$line" | sed -E 's/.* failed out of ([0-9]+).*/\1/')
        counted "native tests" $((n - f)) "$f" "$rc"
    else
        broken "ctest" "$logs/ctest.log"
    fi
else
    tail -n 30 "$logs/native-build.log"
    broken "native build" "$logs/native-build.log"
fi
echo "test.sh: native done in $(elapsed "$t0")"

# 1b. The core tests under AddressSanitizer and UndefinedBehaviorSanitizer (the long
# scikit-learn comparison is left to the plain build).
t0=$(date +%s)
if "$here/build.sh" sanitize kpix_tests >"$logs/sanitize-build.log" 2>&1; then
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$KPIX_ROOT/build/sanitize/tests/kpix_tests" --use-colour no '~[slow]~[sklearn]' \
        >"$logs/sanitize-tests.log" 2>&1
    catch_count "sanitizer core tests" "$logs/sanitize-tests.log" $?
else
    tail -n 30 "$logs/sanitize-build.log"
    broken "sanitizer build" "$logs/sanitize-build.log"
fi
echo "test.sh: sanitizers done in $(elapsed "$t0")"

# 2. The core tests built with emcc, under node (Catch2's own summary).
t0=$(date +%s)
# The browser tests run only on pages this run built: never on a stale page from an earlier build.
pages_built=1
if "$here/build.sh" wasm kpix_tests kpix >"$logs/wasm-build.log" 2>&1; then
    (cd "$KPIX_ROOT/build" && node --no-experimental-fetch wasm/tests/kpix_tests.js --use-colour no '~[slow]') \
        >"$logs/wasm-tests.log" 2>&1
    catch_count "wasm core tests" "$logs/wasm-tests.log" $?
else
    tail -n 30 "$logs/wasm-build.log"
    broken "wasm build" "$logs/wasm-build.log"
    pages_built=0
fi
echo "test.sh: wasm done in $(elapsed "$t0")"

# 2b. The page's single-threaded build (no pthreads), which the browser tests load when the page
# is served without COOP/COEP, and the page's HEIC decoder module built with it. Only the app: the
# core tests above already ran in wasm; the module's own test (tests/heif_module.mjs) under node.
t0=$(date +%s)
if "$here/build.sh" wasm-st kpix >"$logs/wasm-st-build.log" 2>&1; then
    node tests/heif_module.mjs "$KPIX_ROOT/build/wasm/www" >"$logs/heif-module.log" 2>&1
    rc=$?
    counted "HEIC decoder module" "$(grep -c '^ok ' "$logs/heif-module.log")" \
        "$(grep -c '^FAIL ' "$logs/heif-module.log")" "$rc"
else
    tail -n 30 "$logs/wasm-st-build.log"
    broken "single-threaded wasm build" "$logs/wasm-st-build.log"
    pages_built=0
fi
echo "test.sh: wasm-st done in $(elapsed "$t0")"

# 3. Browser tests against the built page.
t0=$(date +%s)
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
    echo "test.sh: the browser tests need Node.js 20 or newer (this is $(node --version 2>/dev/null || echo none)): install it and run again"
    broken "browser tests (Node.js 20 or newer needed)" "$logs/e2e.log"
elif [ "$pages_built" = 1 ] && [ -f "$KPIX_ROOT/build/wasm/www/kpix.js" ]; then
    KPIX_WWW="$KPIX_ROOT/build/wasm/www" KPIX_ARTIFACTS="$KPIX_ROOT/build/e2e-artifacts" \
        node tests/e2e/run.mjs 2>&1 | tee "$logs/e2e.log"
    rc=${PIPESTATUS[0]}
    line=$(grep -E "^[0-9]+ passed, [0-9]+ failed" "$logs/e2e.log" | tail -1)
    if [ -n "$line" ]; then
        p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
        f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
        counted "browser tests" "$p" "$f" "$rc"
    else
        broken "browser tests" "$logs/e2e.log"
    fi
else
    broken "browser tests (the pages were not built by this run)" "$logs/wasm-build.log"
fi
echo "test.sh: browser done in $(elapsed "$t0")"

[ ${#step_failed[@]} -eq 0 ] || echo "test.sh: failing: ${step_failed[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
