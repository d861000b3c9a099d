#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages snapstate-cpp needs to build, test and run its tools.
# Only what is missing is installed; nothing happens when everything is there.
set -euo pipefail

packages=(cmake ninja-build g++ pkg-config libcurl4-openssl-dev nlohmann-json3-dev libssl-dev libsimdjson-dev
          libgtest-dev libgmock-dev libcpp-httplib-dev libcli11-dev libsqlite3-dev curl nodejs
          clang libclang-rt-14-dev clang-format clang-tidy doxygen python3 git util-linux
          libbenchmark-dev zlib1g-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
echo "installing: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
