#!/usr/bin/env bash
# npm run test:image: builds infra/docker/Dockerfile as it is, without a Docker engine or a container registry, then
# runs the image's smoke test and podman-compose's reading of infra/docker-compose.yml (vitest.image.config.ts).
# Needs root: installs Debian's buildah, podman, runc, debootstrap and podman-compose when missing, makes the
# stand-in base image (make-base.sh, cached), and builds with buildah.
# Fails with one line saying why when it cannot; it never skips.
#
#   IMAGE_TEST_CACHE   where the base image's root filesystem and containers.conf live (/var/cache/market-spine-image)
set -euo pipefail
cd "$(dirname "$0")/../../../.."

fail() { echo "test:image: $*" >&2; exit 1; }
say() { echo "test:image: $*" >&2; }
started=$(date +%s)

[ "$(id -u)" = 0 ] || fail "needs root (buildah and podman run rootful here; debootstrap needs root)"
missing=()
for tool in buildah podman runc debootstrap podman-compose; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || fail "missing ${missing[*]} and no apt-get to install them"
  say "installing ${missing[*]} (Debian packages)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      buildah podman runc debootstrap podman-compose fuse-overlayfs netavark conmon catatonit; } >/tmp/test-image-apt.log 2>&1 \
    || fail "apt-get could not install ${missing[*]} (see /tmp/test-image-apt.log)"
fi

CACHE=${IMAGE_TEST_CACHE:-/var/cache/market-spine-image}
mkdir -p "$CACHE"
# This machine forbids raising rlimits and has cgroups v1 without systemd: podman's and buildah's defaults (higher
# ulimits, crun, the systemd cgroup manager) fail here. runc is refused a process limit above kernel.pid_max too,
# though the shell's is higher (no more processes than that can exist anyway). Only this test uses this file.
nproc=$(ulimit -Hu)
pid_max=$(cat /proc/sys/kernel/pid_max)
[ "$nproc" = unlimited ] || [ "$nproc" -gt "$pid_max" ] && nproc=$pid_max
ulimits=("nofile=$(ulimit -Hn):$(ulimit -Hn)" "nproc=$nproc:$nproc")
export CONTAINERS_CONF="$CACHE/containers.conf"
cat >"$CONTAINERS_CONF" <<CONF
[containers]
default_ulimits = ["${ulimits[0]}", "${ulimits[1]}"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF

# The Dockerfile's pinned base, as name:version-...@sha256:digest; the stand-in takes the name and version.
pinned=$(sed -n 's/^ARG NODE_IMAGE=//p' infra/docker/Dockerfile)
[[ "$pinned" =~ ^node:([0-9]+\.[0-9]+\.[0-9]+)-bookworm-slim@sha256:[0-9a-f]{64}$ ]] \
  || fail "infra/docker/Dockerfile: ARG NODE_IMAGE is not node:<version>-bookworm-slim@sha256:<digest> ($pinned)"
base=$(bash infra/docker/test/image/make-base.sh "${BASH_REMATCH[1]}" "$CACHE") || fail "could not make the base image (above)"
say "base $base (stands in for $pinned)"

export SPINE_TEST_IMAGE=localhost/market-spine:image-test
# Host network: the build reaches the registries as this machine does. A TLS-inspecting proxy's CA bundle, if this
# machine names one, is mounted for the build only and named in the build stage (ARG NODE_EXTRA_CA_CERTS).
ca_args=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  ca_args=(--volume "$NODE_EXTRA_CA_CERTS:/run/build-host-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/build-host-ca.crt)
fi
build_started=$(date +%s)
buildah bud --layers --format docker --pull=never --network host --ulimit "${ulimits[0]}" --ulimit "${ulimits[1]}" "${ca_args[@]}" \
  --build-arg "NODE_IMAGE=$base" -f infra/docker/Dockerfile -t "$SPINE_TEST_IMAGE" . \
  || fail "buildah could not build infra/docker/Dockerfile (above)"
size=$(podman image inspect --format '{{.Size}}' "$SPINE_TEST_IMAGE")
say "built $SPINE_TEST_IMAGE in $(($(date +%s) - build_started)) s: $((size / 1000000)) MB ($size bytes)"

npx vitest run --config vitest.image.config.ts
say "done in $(($(date +%s) - started)) s"
