#!/usr/bin/env bash
# Sets up and starts kbuild on its defaults: the web app on http://localhost:3000
# and one worker. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
bash scripts/setup.sh
npx next build
port="${PORT:-3000}"
npx next start -p "$port" &
web=$!
node --import tsx worker/main.ts &
worker=$!
trap 'kill $web $worker 2>/dev/null; wait' INT TERM EXIT
echo "kbuild: http://localhost:$port"
wait -n $web $worker
