#!/usr/bin/env bash
# Builds the container image of a toolchain profile: Debian bookworm with the
# profile's packages (toolchain/profiles/<id>.json: debianPackages, image).
#
#   toolchain/build-image.sh <profile id> [--force] [--from-registry | --from-debootstrap]
#   toolchain/build-image.sh qemu-x86_64 ...   (a boot environment, toolchain/boot/<id>.json)
#
# Two ways, the same packages and labels:
# - from a registry: toolchain/Dockerfile on top of debian:bookworm (BASE=<image>
#   names another bookworm image), when the engine has it or can pull it;
# - without one: a minimal debootstrap root made with the mirror apt already uses,
#   imported into the engine (Debian's archive is enough).
# By default the first when it works, else the second; the flags choose one.
# Skips the work when the engine already has the image for the same package
# list. The engine is the `docker` CLI's (DOCKER_HOST selects another).
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: toolchain/build-image.sh <profile id> [--force] [--from-registry | --from-debootstrap]"
profile="" force="" from=auto
for arg in "$@"; do
  case "$arg" in
    --force) force=--force ;;
    --from-registry) from=registry ;;
    --from-debootstrap) from=debootstrap ;;
    -*) echo "$usage" >&2; exit 2 ;;
    *) profile="$arg" ;;
  esac
done
[[ -n "$profile" ]] || { echo "$usage" >&2; exit 2; }
base="${BASE:-debian:bookworm}"
file="toolchain/profiles/$profile.json"
# Boot environments (toolchain/boot/<id>.json: QEMU and busybox, not build profiles) are built the same way.
[[ -f "$file" || ! -f "toolchain/boot/$profile.json" ]] || file="toolchain/boot/$profile.json"
[[ -f "$file" ]] || { echo "build-image: no profile $file" >&2; exit 2; }
image=$(node -p "require('./$file').image ?? ''")
[[ -n "$image" ]] || { echo "build-image: profile $profile names no image" >&2; exit 2; }
packages=$(node -p "[...new Set([...require('./$file').debianPackages, 'ca-certificates'])].sort().join(',')")
# The image is identified by what went into it.
recipe=$(printf '%s\n%s\n' "bookworm" "$packages" | sha256sum | cut -c1-16)

if [[ "$force" != "--force" ]] && [[ "$(docker image inspect -f '{{index .Config.Labels "io.kbuild.recipe"}}' "$image" 2>/dev/null)" == "$recipe" ]]; then
  echo "build-image: $image is up to date (recipe $recipe)"
  exit 0
fi

# A base image on the engine, or one pulled from a registry (bounded: an unreachable one may hang).
if [[ "$from" == auto ]]; then
  if docker image inspect "$base" >/dev/null 2>&1 || timeout 120 docker pull -q "$base" >/dev/null 2>&1; then
    from=registry
  else
    echo "build-image: no $base on the engine nor from a registry: building from a debootstrap root"
    from=debootstrap
  fi
fi

if [[ "$from" == registry ]]; then
  echo "build-image: building $image from $base with: ${packages//,/ }"
  log=$(mktemp "${TMPDIR:-/tmp}/kbuild-image-XXXXXX.log")
  # Only the Dockerfile is sent (no build context): the image needs nothing else.
  docker build -t "$image" --build-arg BASE="$base" --build-arg PACKAGES="${packages//,/ }" \
    --build-arg PROFILE="$profile" --build-arg RECIPE="$recipe" - <toolchain/Dockerfile >"$log" 2>&1 || {
    tail -n 30 "$log" >&2; rm -f "$log"; exit 1; }
  rm -f "$log"
  echo "build-image: $image ready ($(docker image inspect -f '{{.Id}}' "$image"))"
  exit 0
fi

# The Debian mirror apt is configured with (one-line or deb822 sources; not the security archive).
mirror=$(grep -hE '^(deb |URIs:)' /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | grep -oE 'https?://[^ ]+' | grep -v -- '-security' | head -n1 || true)
mirror="${mirror:-http://deb.debian.org/debian}"
root=$(mktemp -d "${TMPDIR:-/tmp}/kbuild-image-XXXXXX")
trap 'rm -rf "$root"' EXIT

echo "build-image: debootstrap bookworm from $mirror with: $packages"
debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >"$root.log" 2>&1 || {
  tail -n 30 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
# Package caches and lists are not part of a toolchain.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/*

echo "build-image: importing $image"
tar -C "$root" --numeric-owner -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "LABEL io.kbuild.profile=$profile" \
  --change "LABEL io.kbuild.recipe=$recipe" \
  - "$image" >/dev/null
echo "build-image: $image ready ($(docker image inspect -f '{{.Id}}' "$image"))"
