#!/usr/bin/env bash
# Formatting (clang-format, .clang-format) over every C++ file we own, and clang-tidy
# (.clang-tidy, warnings as errors) over the library sources. Needs build/dev's
# compile_commands.json (cmake --preset dev).
set -euo pipefail
cd "$(dirname "$0")/../.."

# The wire has one room: only src/http/ may include libcurl, and no public header may include
# libcurl, OpenSSL or simdjson.
curl_users=$(git grep -l '#include <curl/' -- src include ':!src/http/' || true)
if [[ -n $curl_users ]]; then
  echo "only src/http/ may include libcurl; found in:" >&2
  echo "$curl_users" >&2
  exit 1
fi
public_leaks=$(git grep -lE '#include <(curl|openssl|simdjson)' -- include || true)
if [[ -n $public_leaks ]]; then
  echo "public headers must not include libcurl, OpenSSL or simdjson:" >&2
  echo "$public_leaks" >&2
  exit 1
fi
echo "includes: libcurl only in src/http/, public headers clean"

mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
clang-format --dry-run --Werror "${files[@]}"
echo "clang-format: ${#files[@]} files clean"

# GCC's default standard is C++17 but clang-tidy's is not: say it explicitly.
git ls-files 'src/*.cpp' | xargs -P"$(nproc)" -n1 clang-tidy -p build/dev --quiet \
  --extra-arg=-std=c++17 2>/dev/null
echo "clang-tidy: library sources clean"

# Every C++ block in the READMEs compiles against the public headers.
python3 tools/scripts/readme-snippets.py build/dev README.md $(git ls-files 'tools/*/README.md')

# Doxygen HTML of the public headers; an undocumented public declaration is an error.
cmake --build build/dev --target docs
echo "doxygen: public headers fully documented (build/dev/docs/html/index.html)"
