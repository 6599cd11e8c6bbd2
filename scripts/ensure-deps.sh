#!/usr/bin/env bash
# Make sure everything Drover needs is present:
#   - npm packages (node_modules up to date with package.json / package-lock.json)
#   - nats-server on PATH (from apt)
#   - busybox on PATH (Debian's busybox-static: npm start's sample pods run it)
#   - a Docker engine and the drover/busybox:1 image where the machine can
#     run one (scripts/ensure-docker.sh; the process runtime is the fallback)
# Fast (pure shell tests, no subprocesses) when all is present; prints nothing
# unless it actually installs something. Safe to run concurrently: the install
# path is serialised with flock and re-checks under the lock.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

STAMP=node_modules/.drover-stamp
LOCK_FILE="${TMPDIR:-/tmp}/drover-ensure-deps-$(id -u).lock"

log() { printf 'ensure-deps: %s\n' "$*" >&2; }

# True when node_modules must be (re)installed: it is missing, or the newest
# install marker is older than package.json or package-lock.json.
npm_needed() {
  [[ -d node_modules ]] || return 0
  local ref
  if [[ -e $STAMP ]]; then
    ref=$STAMP
  elif [[ -e node_modules/.package-lock.json ]]; then
    ref=node_modules/.package-lock.json # written by npm on every install
  else
    return 0
  fi
  [[ package.json -nt $ref ]] && return 0
  [[ -e package-lock.json && package-lock.json -nt $ref ]] && return 0
  return 1
}

# Debian's package puts the binary in /usr/sbin, which is not on a non-root
# user's PATH; count it as present there too rather than reinstalling forever.
nats_needed() {
  command -v nats-server >/dev/null 2>&1 && return 1
  [[ -x /usr/sbin/nats-server ]] && return 1
  return 0
}

busybox_needed() {
  command -v busybox >/dev/null 2>&1 && return 1
  [[ -x /bin/busybox || -x /usr/bin/busybox ]] && return 1
  return 0
}

# Docker is best effort and has its own fast path (one client call).
ensure_docker() {
  [[ ${DROVER_NO_DOCKER:-} == 1 ]] && return 0
  bash scripts/ensure-docker.sh || true
}

# Fast path: nothing to do, no lock taken.
if ! npm_needed && ! nats_needed && ! busybox_needed; then
  ensure_docker
  exit 0
fi

# Slow path: serialise installers, then re-check (another run may have done it).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$LOCK_FILE"
  flock 9
fi

if npm_needed; then
  if [[ -f package-lock.json ]]; then
    log "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error >&2
  else
    log "installing npm packages (npm install)"
    npm install --no-audit --no-fund --loglevel=error >&2
  fi
  touch "$STAMP"
  log "npm packages installed"
fi

if nats_needed; then
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      SUDO=(sudo)
    else
      log "nats-server is missing and neither root nor sudo is available; install it by hand (apt-get install nats-server)"
      exit 1
    fi
  fi
  log "installing nats-server (apt-get)"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nats-server >&2
  hash -r
  if nats_needed; then
    log "apt-get installed nats-server but it is not on PATH"
    exit 1
  fi
  log "nats-server installed: $(command -v nats-server || echo /usr/sbin/nats-server)"
fi

if busybox_needed; then
  SUDO=()
  [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1 && SUDO=(sudo)
  log "installing busybox-static (apt-get)"
  if "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >&2 ||
    { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >&2; }; then
    log "busybox installed"
  else
    log "could not install busybox-static; the sample deployment of npm start needs it with the process runtime"
  fi
fi

ensure_docker
