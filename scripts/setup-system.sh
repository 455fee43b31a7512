#!/usr/bin/env bash
# First step of `npm run setup` and of `.ci/run`: installs the Debian packages
# the project needs when they are missing, so both install the same set.
#
#   bash scripts/setup-system.sh          what `npm ci` needs to build the OpenCV addon, and ffmpeg
#   bash scripts/setup-system.sh --ci     also what the tests use: Chromium, MariaDB, Redis
#   bash scripts/setup-system.sh --check  only report; exit 1 when something is missing
#
# Each package is looked for first (dpkg-query / command -v), so a machine that
# has everything costs a few milliseconds and needs no rights. Missing ones are
# installed with apt-get: directly as root, through sudo otherwise; without
# either it stops at once and prints the command to run as root.
# SETUP_SYSTEM_SKIP=1 skips this step (packages managed another way).
set -euo pipefail

say() { printf 'setup-system: %s\n' "$*"; }

ci=false
check_only=false
for arg in "$@"; do
  case "$arg" in
    --ci) ci=true ;;
    --check) check_only=true ;;
    -h | --help)
      # The header comment above, without its '#'.
      awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
      exit 0
      ;;
    *)
      say "unknown option $arg (see --help)" >&2
      exit 2
      ;;
  esac
done

if [ "${SETUP_SYSTEM_SKIP:-}" = 1 ]; then
  say "SETUP_SYSTEM_SKIP=1: system packages not checked"
  exit 0
fi

has_cmd() { command -v "$1" >/dev/null 2>&1; }
has_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# Node itself is not installed here: Debian's own nodejs is older than the
# engines field asks for on most releases (NodeSource, nvm or the official build).
if ! has_cmd node; then
  say "Node.js >= 20.19 is needed first (https://nodejs.org or NodeSource's Debian packages)" >&2
  exit 1
fi

missing=()
# need <package> <test...>: the package is wanted when the test fails.
need() {
  local pkg=$1
  shift
  if ! "$@"; then
    missing+=("$pkg")
  fi
}
has_db_client() { has_cmd mysql && has_cmd mysqladmin; }
has_db_server() { has_pkg mariadb-server || has_cmd mariadbd; }
has_redis() { has_cmd redis-server && has_cmd redis-cli; }
# node-gyp compiles the OpenCV addon against the running Node's headers
# (.npmrc points it there instead of downloading them). NodeSource and the
# official builds ship them; Debian's nodejs package keeps them in libnode-dev.
node_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
has_node_headers() { [ -f "$node_prefix/include/node/node.h" ]; }

# The build: @u4/opencv4nodejs compiles against Debian's OpenCV (contrib, dnn,
# videoio with FFmpeg) with g++/make/python3 (node-gyp) and pkg-config.
need libopencv-dev has_pkg libopencv-dev
need ffmpeg has_cmd ffmpeg
need g++ has_cmd g++
need make has_cmd make
need python3 has_cmd python3
need pkg-config has_cmd pkg-config
if ! has_node_headers; then
  if dpkg-query -S "$(readlink -f "$(command -v node)")" 2>/dev/null | grep -q '^nodejs:'; then
    missing+=(libnode-dev)
  else
    say "warning: no Node headers in $node_prefix/include/node; node-gyp will try to download them" >&2
  fi
fi
if $ci; then
  need chromium has_pkg chromium # browser tests: playwright-core drives Debian's /usr/bin/chromium
  need mariadb-server has_db_server
  need mariadb-client has_db_client
  need redis-server has_redis # multi-instance event bus tests
fi

wanted="libopencv-dev ffmpeg g++ make python3 pkg-config"
$ci && wanted="$wanted chromium mariadb-server mariadb-client redis-server"
if [ "${#missing[@]}" -eq 0 ]; then
  say "present: $wanted"
  exit 0
fi

say "missing: ${missing[*]}"
if $check_only; then
  exit 1
fi

install_cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if ! has_cmd apt-get; then
  say "no apt-get on this machine: install the equivalents of ${missing[*]} with its package manager," >&2
  say "then run again (or set SETUP_SYSTEM_SKIP=1 when they are installed another way)" >&2
  exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! has_cmd sudo; then
    say "installing them needs root, and $(id -un) is not root and has no sudo. As root, run:" >&2
    printf '\n    %s\n\n' "$install_cmd" >&2
    say "then run this again (npm run setup)." >&2
    exit 1
  fi
  # sudo may ask for a password; without a terminal (CI) it fails, and we say what to run.
  as_root=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
run() {
  say "running: ${as_root[*]:+${as_root[*]} }$*"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive "$@"
}
if ! run apt-get update -qq || ! run apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
  say "apt-get failed. As root, run:" >&2
  printf '\n    %s\n\n' "$install_cmd" >&2
  exit 1
fi

# What was installed must now be found, or the next step fails in a less clear way.
still=("${missing[@]}")
missing=()
for pkg in "${still[@]}"; do
  need "$pkg" has_pkg "$pkg"
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "still missing after apt-get: ${missing[*]}" >&2
  exit 1
fi
say "installed: ${still[*]}"
