#!/usr/bin/env bash
# certbound setup: install the Debian 12 packages, build, and run the main job.
#   ./setup.sh             install, build, then `certbound check all` (readable report)
#   ./setup.sh --no-check  install and build only (used by .ci/run)
#   --sanitizers           also install clang and its sanitizer/libFuzzer runtimes (for build-asan)
#   --browser              also install Chromium (the test that renders the sweep report headless)
#   --cluster              also install slurm-wlm and munge, for the single-node Slurm test of the
#                          README's job array (tests/cluster; a user's machine does not need them)
set -euo pipefail
cd "$(dirname "$0")"

check=1
packages=(g++ cmake pkg-config libboost-dev libeigen3-dev doctest-dev libgmp-dev libmpfr-dev libmpfi-dev
          libflint-arb-dev libcli11-dev nlohmann-json3-dev zlib1g-dev gnuplot-nox libxml2-utils ninja-build
          coq libcoq-interval)  # Coq 8.16 + CoqInterval: the second, formal check of the scalar lemmas
for arg in "$@"; do
  case "$arg" in
    --no-check) check=0 ;;
    --sanitizers) packages+=(clang libclang-rt-14-dev) ;;
    --browser) packages+=(chromium) ;;
    --cluster) packages+=(slurm-wlm munge) ;;
    *) echo "setup.sh: unknown option '$arg' (use --no-check, --sanitizers, --browser, --cluster)" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

# Ninja keeps both cores busy across targets (make waits for each library before compiling the
# next one's files). A build folder configured earlier keeps its generator.
generator=()
[ -f build/CMakeCache.txt ] || generator=(-G Ninja)
cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"

if ((check)); then
  ./build/certbound check all --markdown build/check-report.md --json build/check-report.json
fi
