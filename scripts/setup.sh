#!/usr/bin/env bash
# Sets up everything kbuild needs on a Debian 12 machine, idempotently:
# Debian packages (the kernel toolchain of every profile, the 6.1 kernel source,
# bubblewrap, PostgreSQL, Redis, Docker and debootstrap; Chromium with
# --with-browser), running PostgreSQL, Redis and a container engine, npm
# dependencies, the Prisma client, the database schema and the toolchain images.
set -euo pipefail
cd "$(dirname "$0")/.."

with_browser=0
[[ "${1:-}" == "--with-browser" ]] && with_browser=1

as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

# --- Debian packages -------------------------------------------------------
# The toolchain packages are data: the union of every profile's debianPackages.
profile_packages=$(node -e '
  const fs = require("fs");
  const dir = "toolchain/profiles";
  const pkgs = new Set();
  for (const f of fs.readdirSync(dir)) for (const p of JSON.parse(fs.readFileSync(dir + "/" + f)).debianPackages ?? []) pkgs.add(p);
  console.log([...pkgs].join(" "));')
# Boot tests (toolchain/boot/*.json): QEMU and a static busybox, for the bubblewrap sandbox and the boot bench.
boot_packages=$(node -e '
  const fs = require("fs");
  const dir = "toolchain/boot";
  const pkgs = new Set();
  for (const f of fs.readdirSync(dir)) for (const p of JSON.parse(fs.readFileSync(dir + "/" + f)).debianPackages ?? []) pkgs.add(p);
  console.log([...pkgs].join(" "));')
packages="$profile_packages $boot_packages linux-source-6.1 linux-source-6.12 bubblewrap tar postgresql redis-server docker.io debootstrap"
(( with_browser )) && packages="$packages chromium"
missing=""
for p in $packages; do
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" == installed ]] || missing="$missing $p"
done
if [[ -n "${missing// }" ]]; then
  echo "setup: installing Debian packages: $missing"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

# --- Services --------------------------------------------------------------
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "setup: starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "setup: starting Redis"
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi

# Builds run in containers when an engine answers; start Docker's when none does.
if ! docker version >/dev/null 2>&1; then
  echo "setup: starting dockerd"
  as_root setsid dockerd --host unix:///var/run/docker.sock >/var/log/kbuild-dockerd.log 2>&1 </dev/null &
  for _ in $(seq 60); do docker version >/dev/null 2>&1 && break; sleep 1; done
  docker version >/dev/null 2>&1 || { echo "setup: dockerd did not start; see /var/log/kbuild-dockerd.log" >&2; exit 1; }
fi

# --- Node ------------------------------------------------------------------
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm dependencies"
  npm ci --no-audit --no-fund
fi
npm run --silent db:generate >/dev/null
npm run --silent db:migrate

# --- Toolchain images ----------------------------------------------------
for f in toolchain/profiles/*.json toolchain/boot/*.json; do
  if [[ -n "$(node -p "require('./$f').image ?? ''")" ]]; then
    as_root toolchain/build-image.sh "$(basename "$f" .json)"
  fi
done
