#!/usr/bin/env bash
# Runs the container suite (worker/runtimes/docker.int.test.ts) against podman's
# Docker-compatible API instead of Docker. Not part of scripts/test.sh or CI.
#
#   scripts/test-podman.sh
#
# Sets up everything as scripts/setup.sh does, installs Debian's podman and
# catatonit (the init podman gives containers created with Init), starts
# `podman system service` on /run/podman/podman.sock when nothing answers there,
# copies each profile's toolchain image from Docker (or builds it in podman),
# then runs the suite with its own database, Redis database and key prefix, so
# it can run beside the other suites. reproduce.sh's `docker run` goes to podman
# too (DOCKER_HOST). As root: the suite talks to root's podman socket.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) == 0 ]] || { echo "test-podman: run as root (the suite talks to root's podman socket)" >&2; exit 1; }
socket=/run/podman/podman.sock
podman_host="unix://$socket"

bash scripts/setup.sh

missing=""
for p in podman catatonit; do
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" == installed ]] || missing="$missing $p"
done
if [[ -n "${missing// }" ]]; then
  echo "test-podman: installing Debian packages:$missing"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
fi

if ! DOCKER_HOST="$podman_host" docker version >/dev/null 2>&1; then
  echo "test-podman: starting podman system service on $socket"
  mkdir -p "$(dirname "$socket")"
  conf="$PWD/scripts/podman-containers.conf"
  # From /: podman's conmon writes an "oom" marker into its working directory when a
  # container runs out of memory (the suite makes one do so), which must not be the clone.
  (cd / && CONTAINERS_CONF="$conf" setsid podman system service --time=0 "$podman_host" \
    >/var/log/kbuild-podman.log 2>&1 </dev/null &)
  for _ in $(seq 30); do DOCKER_HOST="$podman_host" docker version >/dev/null 2>&1 && break; sleep 1; done
  DOCKER_HOST="$podman_host" docker version >/dev/null 2>&1 || { echo "test-podman: podman did not start; see /var/log/kbuild-podman.log" >&2; exit 1; }
fi

# The image Docker has is copied (faster than building it again); build-image.sh
# then finds it up to date, or rebuilds it in podman when it is not.
for f in toolchain/profiles/*.json; do
  image=$(node -p "require('./$f').image ?? ''")
  [[ -n "$image" ]] || continue
  if ! podman image exists "$image" && docker image inspect "$image" >/dev/null 2>&1; then
    echo "test-podman: copying $image from Docker"
    docker save "$image" | podman load -q
  fi
  DOCKER_HOST="$podman_host" toolchain/build-image.sh "$(basename "$f" .json)"
done

export KBUILD_DOCKER_SOCKET="$socket" DOCKER_HOST="$podman_host"
export KBUILD_TEST_PREFIX="${KBUILD_TEST_PREFIX:-kbuild-podman-test}"
export KBUILD_TEST_RUN="${KBUILD_TEST_RUN:-podman}"
export KBUILD_TEST_DATABASE_URL="${KBUILD_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/kbuild_test_podman}"
export KBUILD_TEST_REDIS_URL="${KBUILD_TEST_REDIS_URL:-redis://127.0.0.1:6379/11}"
exec npx vitest run --project integration worker/runtimes/docker.int.test.ts
