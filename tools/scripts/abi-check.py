#!/usr/bin/env python3
"""The ABI check of a shared libsnapstate.

    abi-check.py LIBRARY [--update]

The library's exported dynamic symbols, demangled and sorted, must equal
tests/abi/exported-symbols.txt, so that a change to the API is a visible diff (--update rewrites
the file after a deliberate change). Whatever the list says, none may belong to nlohmann,
simdjson or snapstate::detail: a symbol of those namespaces, or one of another namespace that
names them (std::vector<nlohmann::json>::..., typeinfo for std::..<snapstate::detail::..>), is
a failure. A public function may take nlohmann::json: its parameters are not checked.
"""
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "tests" / "abi" / "exported-symbols.txt"
FORBIDDEN = ("nlohmann::", "simdjson::", "snapstate::detail")
# Itanium mangling: special names (vtable, typeinfo, guard variables, thunks), local names, then
# the nested name the entity lives in, after its cv- and ref-qualifiers.
ENTITY = r"_Z(?:T[VTIS]|GV|GR|TH|TW|Thn?\d+_|Tvn?\d+_n?\d+_)*Z?N[rVKRO]*"
PUBLIC = re.compile(ENTITY + r"9snapstate(?!6detail)")
HIDDEN = re.compile(ENTITY + r"(?:8nlohmann|9simdjson|9snapstate6detail)")


def exported(library):
    nm = subprocess.run(["nm", "-D", "--defined-only", "--format=posix", library],
                        check=True, capture_output=True, text=True).stdout
    mangled = [line.split()[0] for line in nm.splitlines() if line.strip()]
    demangled = subprocess.run(["c++filt"], input="\n".join(mangled) + "\n", check=True,
                               capture_output=True, text=True).stdout.splitlines()
    return list(zip(mangled, demangled))


def main():
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] != "--update"):
        sys.exit(__doc__)
    symbols = exported(sys.argv[1])
    leaks = [d for m, d in symbols
             if HIDDEN.match(m) or (not PUBLIC.match(m) and any(f in d for f in FORBIDDEN))]
    if leaks:
        print(f"{sys.argv[1]} exports {len(leaks)} symbols of nlohmann, simdjson or "
              "snapstate::detail:", *leaks[:20], sep="\n  ", file=sys.stderr)
        sys.exit(1)
    actual = sorted(d for _, d in symbols)
    if len(sys.argv) == 3:
        EXPECTED.write_text("".join(line + "\n" for line in actual))
        print(f"{EXPECTED.relative_to(ROOT)}: {len(actual)} symbols written")
        return
    expected = EXPECTED.read_text().splitlines()
    if actual != expected:
        gone = sorted(set(expected) - set(actual))
        new = sorted(set(actual) - set(expected))
        print(f"the exported symbols of {sys.argv[1]} differ from {EXPECTED.relative_to(ROOT)}:",
              *(["- " + s for s in gone] + ["+ " + s for s in new]), sep="\n", file=sys.stderr)
        print("A deliberate API change: rerun with --update and commit the file "
              "(removing or changing a symbol breaks the ABI: bump the major version).",
              file=sys.stderr)
        sys.exit(1)
    print(f"ABI: {len(actual)} exported symbols, as in {EXPECTED.relative_to(ROOT)}; "
          "none of nlohmann, simdjson or snapstate::detail")


if __name__ == "__main__":
    main()
