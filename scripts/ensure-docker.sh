#!/usr/bin/env bash
# Make sure a Docker engine answers on this machine and holds the image the
# docker runtime's tests run (drover/busybox:1), as far as the machine allows:
#   - dockerd missing: install Debian's docker.io (apt-get update first, once);
#   - no engine answers: start dockerd in the background (log under /var/log
#     or /tmp) and wait up to ~30 s for it;
#   - drover/busybox:1 missing: build it from Debian's busybox-static (a root
#     file system of /bin/busybox and its applets) and `docker import` it, since
#     no image registry is reachable here.
# The process runtime is the fallback wherever Docker cannot run, so every
# "cannot" ends with one line saying why and exit 0; only a bug exits non-zero.
# Fast (one `docker image inspect`) when all is present; prints nothing then.
# Safe to run concurrently: the slow path is serialised with flock.
set -uo pipefail

IMAGE=drover/busybox:1
WAIT_S=${DROVER_DOCKERD_WAIT_S:-30}
LOCK_FILE="${TMPDIR:-/tmp}/drover-ensure-docker.lock"

log() { printf 'ensure-docker: %s\n' "$*" >&2; }
# Says why Docker is not available and leaves with success: callers fall back.
give_up() {
  log "$*"
  exit 0
}

engine_answers() { docker info >/dev/null 2>&1; }
# True while process $1 runs. Not `kill -0`: an exited dockerd is a zombie
# until its new parent (init, or whatever stands in for it) reaps it.
pid_running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}
image_present() { docker image inspect "$IMAGE" >/dev/null 2>&1; }

# Fast path: the engine answers and holds the image (one client call).
if command -v docker >/dev/null 2>&1 && image_present; then
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  elif command -v docker >/dev/null 2>&1 && engine_answers; then
    : # the engine runs and this user may use it; only the image is missing
  else
    give_up "not root and no password-less sudo: cannot install or start Docker (the process runtime will be used)"
  fi
fi
as_root() { "${SUDO[@]}" "$@"; }

if command -v flock >/dev/null 2>&1; then
  exec 9>"$LOCK_FILE"
  flock 9
fi

# apt-get's chatter goes to a file; its last lines are shown when it fails.
APT_LOG="${TMPDIR:-/tmp}/drover-ensure-docker-apt.log"
APT_UPDATED=0
apt_install() {
  if [[ $APT_UPDATED -eq 0 ]]; then
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$APT_LOG" 2>&1; then
      tail -n 5 "$APT_LOG" >&2
      return 1
    fi
    APT_UPDATED=1
  fi
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >>"$APT_LOG" 2>&1; then
    tail -n 5 "$APT_LOG" >&2
    return 1
  fi
}

# --- the engine -------------------------------------------------------------

if ! command -v dockerd >/dev/null 2>&1 && [[ ! -x /usr/sbin/dockerd && ! -x /usr/bin/dockerd ]]; then
  log "installing docker.io (apt-get)"
  apt_install docker.io || give_up "apt-get could not install docker.io; Docker is not available here"
  hash -r
fi
DOCKERD=$(command -v dockerd || echo /usr/sbin/dockerd)
command -v docker >/dev/null 2>&1 || give_up "docker.io is installed but there is no docker client on PATH"

if ! engine_answers; then
  if [[ -w /var/log || ${#SUDO[@]} -gt 0 ]]; then
    DOCKERD_LOG=/var/log/drover-dockerd.log
  else
    DOCKERD_LOG=/tmp/drover-dockerd.log
  fi
  log "starting dockerd (log: $DOCKERD_LOG)"
  # setsid + nohup: the engine outlives this script and the shell that ran it.
  # 9>&-: it must not inherit the lock, or every later slow path would wait on it.
  # A fresh log per start, so its tail is about this start.
  DOCKERD_PID=$(as_root sh -c "setsid nohup '$DOCKERD' >'$DOCKERD_LOG' 2>&1 </dev/null 9>&- & echo \$!")
  deadline=$((SECONDS + WAIT_S))
  until engine_answers; do
    if ! pid_running "$DOCKERD_PID"; then
      give_up "the Docker engine cannot run here: dockerd exited: $(tail -n 3 "$DOCKERD_LOG" 2>/dev/null | tr '\n' ' ')"
    fi
    if ((SECONDS >= deadline)); then
      as_root kill "$DOCKERD_PID" 2>/dev/null
      give_up "the Docker engine cannot run here: dockerd did not answer within ${WAIT_S} s: $(tail -n 3 "$DOCKERD_LOG" 2>/dev/null | tr '\n' ' ')"
    fi
    sleep 0.5
  done
  log "dockerd answers"
fi

# --- the image --------------------------------------------------------------

if ! image_present; then
  BUSYBOX=/bin/busybox
  # The image has no libc: it needs the static build (Debian's busybox-static,
  # which replaces the dynamic `busybox` package if that is installed).
  if ! dpkg -s busybox-static >/dev/null 2>&1; then
    log "installing busybox-static (apt-get)"
    apt_install busybox-static || give_up "apt-get could not install busybox-static; cannot build $IMAGE"
  fi
  [[ -x $BUSYBOX ]] || give_up "busybox-static is installed but $BUSYBOX is missing; cannot build $IMAGE"
  log "building $IMAGE from $BUSYBOX"
  ROOTFS=$(mktemp -d)
  trap 'rm -rf "$ROOTFS"' EXIT
  mkdir -p "$ROOTFS"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,proc,sys,dev,www,root}
  chmod 1777 "$ROOTFS/tmp"
  cp "$BUSYBOX" "$ROOTFS/bin/busybox"
  # Each applet at its usual path (bin/sh, usr/bin/wget, sbin/...), linked to busybox.
  while IFS= read -r applet; do
    [[ -z $applet || $applet == bin/busybox ]] && continue
    mkdir -p "$ROOTFS/$(dirname "$applet")"
    ln -sf /bin/busybox "$ROOTFS/$applet"
  done < <("$BUSYBOX" --list-full)
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$ROOTFS/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOTFS/etc/group"
  if ! tar -C "$ROOTFS" -c . | docker import --change 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null; then
    give_up "docker import of $IMAGE failed"
  fi
  log "built $IMAGE"
fi
exit 0
