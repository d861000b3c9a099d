#!/usr/bin/env python3
"""Runs every ```sh block of a README verbatim, in order, in one bash session from the
repository root, and fails on the first command line that fails.

A block right after the comment `<!-- readme-commands: skip (why) -->` is shown, not run (the
test command itself, which is what runs this). What a block starts in the background (`&`) is
stopped at the end. The harness, not the blocks, keeps the machine clean: installs go to a
scratch DESTDIR, and a `sudo` shim keeps it (sudo's own env_reset would drop it): as root it
just runs the command, otherwise it asks the real sudo to preserve DESTDIR. A run longer than
45 minutes fails. Usage: readme-commands.py README.md
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
SKIP = re.compile(r"<!--\s*readme-commands:\s*skip\b")


def blocks(readme):
    text = readme.read_text(encoding="utf-8")
    for match in re.finditer(r"^```sh\n(.*?)^```", text, re.S | re.M):
        before = text[: match.start()].rstrip().splitlines()
        skipped = bool(before) and SKIP.search(before[-1]) is not None
        yield text.count("\n", 0, match.start()) + 1, match.group(1), skipped


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    readme = pathlib.Path(sys.argv[1]).resolve()
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="readme-commands-"))
    env = dict(os.environ, DESTDIR=str(scratch / "destdir"))
    real_sudo = shutil.which("sudo")
    shim = scratch / "bin"
    shim.mkdir()
    if os.geteuid() == 0 or real_sudo is None:
        (shim / "sudo").write_text('#!/bin/sh\nexec "$@"\n')
    else:
        (shim / "sudo").write_text(f'#!/bin/sh\nexec {real_sudo} --preserve-env=DESTDIR "$@"\n')
    (shim / "sudo").chmod(0o755)
    env["PATH"] = f"{shim}:{env['PATH']}"
    script = ["set -euo pipefail", "trap 'jobs -p | xargs -r kill 2>/dev/null' EXIT"]
    ran = shown = 0
    for line, code, skipped in blocks(readme):
        where = f"{readme.relative_to(ROOT)}:{line}"
        if skipped:
            print(f"-- {where}: not run (marked skip)")
            shown += 1
            continue
        script.append(f"echo '-- {where}'")
        # Each command line on its own, so a failure inside `a && b` stops the run too (set -e
        # lets a failing `a` there pass).
        for command in code.splitlines():
            if command.strip() and not command.lstrip().startswith("#"):
                quoted = command.replace("'", "'\\''")
                script.append(f"{{ {command}\n}} || {{ echo 'failed: {quoted}' >&2; exit 1; }}")
        ran += 1
    try:
        result = subprocess.run(["bash", "-c", "\n".join(script)], cwd=ROOT, env=env,
                                timeout=45 * 60)
    except subprocess.TimeoutExpired:
        sys.exit("README command blocks: still running after 45 minutes")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if result.returncode != 0:
        sys.exit(f"README command blocks: a command failed (exit {result.returncode})")
    print(f"README command blocks: {ran} run verbatim, {shown} marked skip")


if __name__ == "__main__":
    main()
