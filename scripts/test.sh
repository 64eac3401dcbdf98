#!/usr/bin/env bash
# Sets up everything (see scripts/setup.sh) and runs the whole test suite:
# type check, unit tests, integration tests against the real PostgreSQL, Redis,
# kernel tree and worker processes, then the end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
bash scripts/setup.sh --with-browser

step() { echo; echo "=== $* ==="; }
step "type check";        npx tsc --noEmit -p .
step "unit tests";        npx vitest run --project unit
step "integration tests"; npx vitest run --project integration
step "web build";         npx next build
step "end-to-end tests";  npx playwright test
