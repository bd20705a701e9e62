#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the runtime images gasper/<language> offline: one debootstrap'd Debian
# rootfs shared by all, each language adds its Debian packages in a chroot, then
# `docker import`. An image is rebuilt only when its recipe (this file's hash plus
# its package list) changes; the recipe hash is stored as the label gasper.recipe.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${GASPER_IMAGE_CACHE:-/var/cache/gasper/images}"
SUITE=bookworm
# The mirror the host itself uses: containers and chroots cannot reach any other.
host_mirror() { # first non-security Debian mirror of the host's apt sources (deb822 or one-line)
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
    | sed -n -E 's/^URIs:[[:space:]]*([^ ]+).*/\1/p; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^ ]+).*/\2/p' \
    | grep -v -e security -e nodesource -e google | awk 'NR==1' || true
}
MIRROR="${GASPER_DEBIAN_MIRROR:-$(host_mirror)}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"

# language -> Debian packages installed on top of the base rootfs
declare -A PACKAGES=(
  [python]="python3"
  [node]="nodejs"
  [php]="php-cli"
  [ruby]="ruby"
  [go]="golang-go"
  [static]="busybox"
)
BASE_PACKAGES="ca-certificates busybox"

log() { printf '[images] %s\n' "$*" >&2; }

recipe_hash() { # $1 = language
  { cat "$HERE/build-images.sh"; echo "$SUITE $BASE_PACKAGES ${PACKAGES[$1]}"; } | sha256sum | cut -c1-16
}

base_hash() { { echo "$SUITE $BASE_PACKAGES"; sed -n '/^build_base()/,/^}/p' "$HERE/build-images.sh"; } | sha256sum | cut -c1-16; }

current_label() { docker image inspect -f '{{ index .Config.Labels "gasper.recipe" }}' "$1" 2>/dev/null || true; }

build_base() {
  local dir="$CACHE/base-$(base_hash)"
  if [[ -f "$dir/.complete" ]]; then echo "$dir"; return; fi
  rm -rf "$dir"; mkdir -p "$dir"
  log "debootstrap $SUITE from $MIRROR (once; cached in $dir)"
  debootstrap --variant=minbase "$SUITE" "$dir" "$MIRROR" >&2
  chroot "$dir" apt-get install -y --no-install-recommends $BASE_PACKAGES >&2
  chroot "$dir" apt-get clean
  touch "$dir/.complete"
  echo "$dir"
}

build_language() { # $1 = language, $2 = base rootfs
  local lang="$1" base="$2" image="gasper/$1" hash work
  hash="$(recipe_hash "$lang")"
  if [[ "$(current_label "$image")" == "$hash" ]]; then log "$image up to date ($hash)"; return; fi
  work="$CACHE/work-$lang"
  umount "$work/proc" 2>/dev/null || true
  rm -rf "$work"; cp -a "$base" "$work"; rm -f "$work/.complete"
  log "$image: installing ${PACKAGES[$lang]}"
  mount -t proc proc "$work/proc"
  DEBIAN_FRONTEND=noninteractive chroot "$work" apt-get install -y --no-install-recommends ${PACKAGES[$lang]} >&2
  # sftp (and scp) over Gasper's SSH run the image's sftp-server as the app's user. Only the
  # binary (it needs libc alone), not its package, which would pull in the OpenSSH client.
  chroot "$work" sh -c 'cd /tmp && apt-get download openssh-sftp-server' >&2
  dpkg-deb --fsys-tarfile "$work"/tmp/openssh-sftp-server_*.deb | tar -x -C "$work" ./usr/lib/openssh/sftp-server
  umount "$work/proc"
  chroot "$work" apt-get clean
  # The apps' user (ContainerSpec runs them as 10000:10000) gets a name: shells in the container
  # (ssh, the terminal) then say app@…, not "I have no name!", and whoami/id work.
  grep -q '^app:' "$work/etc/passwd" || echo 'app:x:10000:10000:Gasper app:/tmp:/bin/sh' >>"$work/etc/passwd"
  grep -q '^app:' "$work/etc/group" || echo 'app:x:10000:' >>"$work/etc/group"
  rm -rf "$work"/var/lib/apt/lists/* "$work"/usr/share/doc/* "$work"/usr/share/man/* "$work"/tmp/*
  log "$image: importing"
  local previous
  previous="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
  tar -C "$work" -c . | docker import \
    --change "LABEL gasper.recipe=$hash" \
    --change "ENV PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV LANG=C.UTF-8" \
    --change "WORKDIR /app" \
    - "$image" >/dev/null
  rm -rf "$work"
  # The image it replaced, unless a container still uses it (then docker refuses: fine).
  [[ -z "$previous" ]] || docker rmi "$previous" >/dev/null 2>&1 || true
  log "$image built ($hash)"
}

main() {
  local langs=("$@")
  [[ ${#langs[@]} -gt 0 ]] || langs=(python node php ruby go static)
  local missing=()
  for l in "${langs[@]}"; do
    [[ -n "${PACKAGES[$l]:-}" ]] || { log "unknown language $l"; exit 2; }
  done
  stale() { missing=(); for l in "${langs[@]}"; do [[ "$(current_label "gasper/$l")" == "$(recipe_hash "$l")" ]] || missing+=("$l"); done; }
  stale
  [[ ${#missing[@]} -gt 0 ]] || { log "all images up to date"; return; }
  mkdir -p "$CACHE"
  # Two builds at once would delete each other's work dirs: one at a time, then look
  # again, since the one we waited for may have built what we wanted.
  exec 8>"$CACHE/.lock"
  flock -n 8 || { log "another build-images.sh is running; waiting for it"; flock 8; }
  stale
  [[ ${#missing[@]} -gt 0 ]] || { log "all images up to date"; return; }
  local base; base="$(build_base)"
  for l in "${missing[@]}"; do build_language "$l" "$base"; done
}

main "$@"
