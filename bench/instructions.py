#!/usr/bin/env python3
"""bench/instructions.py --bin DIR --port P [--out FILE]

User-space instructions and heap allocations per call, counted by callgrind, for the client and
its references (bench/run --instructions runs it against the canned server). Each figure is the
difference of two runs of one scenario, with N and M timed calls (warm-up included: the bench
programs make N/20, at least 3, more), divided by the difference in calls: start-up, payload
building and the first calls' one-time costs cancel out. Deterministic to a fraction of a
percent, whatever else runs on the machine. Allocations are calls to malloc, calloc, realloc
and the aligned allocators, libcurl's and libc's own included (the bench programs' own
"allocations_per_call" counts operator new only).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ALLOCATORS = {"malloc", "calloc", "realloc", "posix_memalign", "aligned_alloc", "memalign"}

# (scenario, implementations, the two call counts)
PLAN = [
    ("save_small", ["client", "bare", "bare-safe"], (200, 1200)),
    ("resume_small", ["client", "bare", "bare-safe"], (200, 1200)),
    ("resume_1m_flat", ["client", "naive"], (5, 15)),
    ("resume_1m_keys", ["client", "naive"], (5, 15)),
    ("resume_1m_history", ["client", "naive"], (5, 15)),
    ("replay_100", ["client", "naive"], (5, 15)),
]


def calls_made(timed):
    return timed + max(3, timed // 20)


def count(bin_dir, port, impl, scenario, timed, workdir):
    out = os.path.join(workdir, "callgrind.%s.%s.%d" % (impl, scenario, timed))
    cmd = [os.path.join(bin_dir, "snapstate-bench")]
    if impl != "client":
        cmd = [os.path.join(bin_dir, "snapstate-bench-ref"), "--mode", impl]
    cmd += ["--port", str(port), "--scenarios", scenario, "--iterations", str(timed),
            "--large-iterations", str(timed)]
    run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + cmd,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        sys.stderr.write(run.stderr[-2000:])
        raise SystemExit("instructions.py: %s %s failed under callgrind" % (impl, scenario))
    instructions, allocations = 0, 0
    names, callee = {}, None
    with open(out) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")) and not instructions:
                instructions = int(line.split()[1])
            m = re.match(r"c?fn=\((\d+)\)(?: (.*))?", line)
            if m:
                if m.group(2):
                    names[m.group(1)] = m.group(2).strip()
                callee = names.get(m.group(1)) if line.startswith("cfn=") else None
            elif line.startswith("calls=") and callee in ALLOCATORS:
                allocations += int(line.split()[0][6:])
    os.remove(out)
    return instructions, allocations


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        print("%-18s %-16s %14s %14s" % ("scenario", "impl", "instr/call", "allocs/call"))
        for scenario, impls, (n, m) in PLAN:
            per_call = {}
            for impl in impls:
                i1, a1 = count(args.bin, args.port, impl, scenario, n, workdir)
                i2, a2 = count(args.bin, args.port, impl, scenario, m, workdir)
                calls = calls_made(m) - calls_made(n)
                per_call[impl] = ((i2 - i1) / calls, (a2 - a1) / calls)
                print("%-18s %-16s %14.0f %14.1f" % (scenario, impl, *per_call[impl]), flush=True)
                results.append({"scenario": scenario, "impl": impl,
                                "instructions_per_call": per_call[impl][0],
                                "allocations_per_call": per_call[impl][1]})
            for ref in ("bare", "bare-safe", "naive"):
                if ref in per_call:
                    print("%-18s %-16s %14.3f %14.3f" % (
                        scenario, "client/" + ref, per_call["client"][0] / per_call[ref][0],
                        per_call["client"][1] / per_call[ref][1]))
            if "bare-safe" in per_call:
                print("%-18s %-16s %14.3f %14s" % (
                    scenario, "safe/bare", per_call["bare-safe"][0] / per_call["bare"][0], ""))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
