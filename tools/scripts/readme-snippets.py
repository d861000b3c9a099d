#!/usr/bin/env python3
"""Compiles every ```cpp block of README.md (and tools' READMEs) against the public headers.

A block with `int main`, or one that opens with a function, struct or class definition, is
compiled as it stands; any other block is a fragment: its
#include lines are hoisted and the rest becomes the body of a function that has a `client`
(snapstate::SnapStateClient&) in scope unless the fragment makes its own. Usage: readme-snippets.py BUILD_DIR [README ...]
"""
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
PRELUDE = """#include <cstdint>
#include <iostream>
#include <string>
#include <vector>
#include <snapstate/snapstate.hpp>
"""


def blocks(readme):
    text = readme.read_text(encoding="utf-8")
    for match in re.finditer(r"^```cpp\n(.*?)^```", text, re.S | re.M):
        line = text.count("\n", 0, match.start()) + 1
        yield line, match.group(1)


FUNCTION_DEFINITION = re.compile(r"^[A-Za-z_][\w:<>,\s*&]*\s[\w:]+\(.*\)\s*(const\s*)?\{$")


def as_translation_unit(code):
    first = next((l for l in code.splitlines() if l and not l.startswith("#include")), "")
    if re.search(r"\bint main\b", code) or FUNCTION_DEFINITION.match(first) or \
            re.match(r"^(struct|class) \w+", first):
        return PRELUDE + "#include <nlohmann/json.hpp>\n" + code
    includes = [l for l in code.splitlines() if l.startswith("#include")]
    body = [l for l in code.splitlines() if not l.startswith("#include")]
    # A fragment that makes its own client gets none from outside.
    params = "" if re.search(r"SnapStateClient\s+client\b", code) else \
        "snapstate::SnapStateClient& client"
    return (PRELUDE + "\n".join(includes) +
            f"\n[[maybe_unused]] static void snippet({params}) {{\n" +
            "\n".join(body) + "\n}\n")


def main():
    build = pathlib.Path(sys.argv[1]).resolve()
    readmes = [pathlib.Path(p) for p in sys.argv[2:]] or [ROOT / "README.md"]
    out = build / "readme-snippets"
    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    count = 0
    for readme in readmes:
        for line, code in blocks(readme):
            count += 1
            source = out / f"{readme.parent.name or 'root'}_{readme.stem}_{line}.cpp"
            source.write_text(as_translation_unit(code), encoding="utf-8")
            cmd = ["c++", "-std=c++20", "-fsyntax-only", "-Wall", "-Wextra", "-Wno-unused",
                   f"-I{ROOT / 'include'}", f"-I{build / 'include'}", str(source)]
            result = subprocess.run(cmd, capture_output=True, text=True)
            if result.returncode != 0:
                failures += 1
                print(f"{readme.relative_to(ROOT)}:{line}: the snippet does not compile\n"
                      f"{result.stderr}", file=sys.stderr)
    print(f"README snippets: {count} compiled, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
