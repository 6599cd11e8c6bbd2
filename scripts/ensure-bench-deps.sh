#!/usr/bin/env bash
# What `npm run bench` needs beyond scripts/ensure-deps.sh: the peer the
# store suite measures against, etcd 3.4 from Debian (etcd-server). Best
# effort: without it the store suite fails and says why; the others run.
# Silent and fast when etcd is present (or BENCH_ETCD names one).
set -euo pipefail

log() { printf 'ensure-bench-deps: %s\n' "$*" >&2; }

[[ -n ${BENCH_ETCD:-} ]] && exit 0
command -v etcd >/dev/null 2>&1 && exit 0
[[ -x /usr/bin/etcd ]] && exit 0

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    log "etcd is missing and neither root nor sudo is available; the store suite needs it (apt-get install etcd-server)"
    exit 0
  fi
  SUDO=(sudo)
fi
install() { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-server >&2; }
log "installing etcd-server (apt-get), the store suite's peer"
if install || { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && install; }; then
  # Debian starts the packaged service; the suite runs its own members on free ports.
  "${SUDO[@]}" systemctl disable --now etcd >/dev/null 2>&1 || "${SUDO[@]}" service etcd stop >/dev/null 2>&1 || true
  log "etcd installed: $(command -v etcd || echo /usr/bin/etcd)"
else
  log "could not install etcd-server; the store suite will fail and say why"
fi
