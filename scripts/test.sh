#!/usr/bin/env bash
# Sets up everything (see scripts/setup.sh) and runs the whole test suite:
# type check, unit tests, the end-to-end tests in Chromium (with the one real
# kernel build), then the integration tests against the real PostgreSQL,
# Redis, kernel tree and worker processes.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
bash scripts/setup.sh --with-browser

step() { echo; echo "=== $* ==="; }
step "type check";        npx tsc --noEmit -p .
step "unit tests";        npx vitest run --project unit
step "web build";         npx next build
# End to end before integration: its real kernel build is the longest part of the run.
step "end-to-end tests";  npx playwright test
step "integration tests"; npx vitest run --project integration
