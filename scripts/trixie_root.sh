#!/usr/bin/env bash
# A fresh minimal Debian 13 (trixie) root for building and testing on Debian 13 from a Debian 12 (or 13)
# host, as root. Needs only the Debian registry.
#   scripts/trixie_root.sh create DIR [PROFILE]  mmdebstrap a new root into DIR (which must not exist),
#        then run this checkout's scripts/setup.sh PROFILE inside it (default: integration)
#   scripts/trixie_root.sh run DIR CMD [ARG...]  run CMD inside DIR as root, in a private mount namespace
#        with /proc, /sys, /dev (and /dev/pts, /dev/shm), a fresh /run and /tmp mounted, and this
#        checkout bind-mounted read-only at /src. The mounts live only in that namespace and are also
#        unmounted by a trap; every process left running inside DIR is killed when CMD ends. The
#        kernel and the network namespace (loopback) are the host's.
#   scripts/trixie_root.sh remove DIR            delete DIR, refusing while anything is mounted in it
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)

die() { echo "trixie_root: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap, mount, chroot)"
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 create DIR [PROFILE] | run DIR CMD... | remove DIR"

# Processes whose root directory is $1 (daemons the command left behind).
procs_in_root() {
  local p r
  for p in /proc/[0-9]*; do
    r=$(readlink "$p/root" 2>/dev/null) || continue
    [ "$r" = "$1" ] && echo "${p#/proc/}"
  done
  return 0
}

mounted_under() { findmnt -rn -o TARGET | awk -v d="$1" 'index($0, d "/") == 1 || $0 == d'; }

run_in_root() {
  local root=$1; shift
  [ -x "$root/bin/sh" ] || die "$root is not a root file system"
  # A private mount namespace: nothing mounted here is seen by, or propagates to, the host, and the
  # mounts go away with the namespace even if this script is killed.
  exec unshare --mount --propagation private -- /usr/bin/env bash -euo pipefail -c '
    root=$1 src=$2; shift 2
    cleanup() {
      local pids p r
      for _ in 1 2 3 4 5 6 7 8 9 10; do
        pids=""
        for p in /proc/[0-9]*; do
          r=$(readlink "$p/root" 2>/dev/null) || continue
          [ "$r" = "$root" ] && pids="$pids ${p#/proc/}"
        done
        [ -z "$pids" ] && break
        kill -KILL $pids 2>/dev/null || true
        sleep 0.2
      done
      for m in src tmp run dev/shm dev/pts dev sys proc; do
        mountpoint -q "$root/$m" && umount -l "$root/$m" 2>/dev/null || true
      done
    }
    trap cleanup EXIT
    mkdir -p "$root/src" "$root/run" "$root/tmp"
    mount -t proc proc "$root/proc"
    mount -t sysfs -o ro sysfs "$root/sys"
    mount -t tmpfs -o mode=755 tmpfs "$root/dev"
    for n in null zero full random urandom tty; do
      touch "$root/dev/$n"; mount --bind "/dev/$n" "$root/dev/$n"
    done
    mkdir -p "$root/dev/pts" "$root/dev/shm"
    mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$root/dev/pts"
    ln -s pts/ptmx "$root/dev/ptmx"
    mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
    ln -s /proc/self/fd "$root/dev/fd"
    mount -t tmpfs -o mode=755 tmpfs "$root/run"
    mkdir -p "$root/run/lock" && chmod 1777 "$root/run/lock"
    mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
    mount --bind "$src" "$root/src"
    mount -o remount,bind,ro "$root/src"
    cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" CI="${CI:-}" "$@"
  ' trixie-root "$root" "$src" "$@"
}

case "$cmd" in
  create)
    profile=${3:-integration}
    [ -e "$dir" ] && die "$dir exists; the root must be fresh"
    if ! command -v mmdebstrap >/dev/null; then
      echo "trixie_root: installing mmdebstrap"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null ||
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null; }
    fi
    mkdir -p "$(dirname "$dir")"
    dir=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")
    start=$SECONDS
    mmdebstrap --quiet --variant=apt trixie "$dir"
    echo "trixie_root: minimal trixie root in $((SECONDS - start)) s"
    start=$SECONDS
    "$0" run "$dir" /src/scripts/setup.sh "$profile"
    echo "trixie_root: scripts/setup.sh $profile inside it in $((SECONDS - start)) s"
    ;;
  run)
    shift 2
    [ $# -gt 0 ] || die "run: no command"
    dir=$(cd "$dir" && pwd)
    run_in_root "$dir" "$@"
    ;;
  remove)
    [ -e "$dir" ] || exit 0
    dir=$(cd "$dir" && pwd)
    [ -z "$(mounted_under "$dir")" ] || die "refusing to remove $dir: still mounted: $(mounted_under "$dir" | tr '\n' ' ')"
    [ -z "$(procs_in_root "$dir")" ] || kill -KILL $(procs_in_root "$dir") 2>/dev/null || true
    rm -rf --one-file-system "$dir"
    ;;
  *) die "unknown command $cmd" ;;
esac
