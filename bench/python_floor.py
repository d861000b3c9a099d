#!/usr/bin/env python3
"""bench/python_floor.py --port P --scenarios a,b [--iterations N] [--large-iterations M]

The least any Python client does for a resume or a replay: one kept-alive http.client
connection, the same headers as the other benchmarks, the body read whole and parsed by the
standard json module (C accelerated), the checkpoint picked out. The Python SDK does all of this
and more per call, so the client ahead of this floor is ahead of the SDK. One JSON line per
scenario, in the shape of bench/common/runner.cpp's (the fields bench/report reads); exit
status 1 when a call failed or answered wrong.
"""
import argparse
import http.client
import json
import sys
import time

API_KEY = "snp_bench_key_0123456789"  # bench/common/payloads.hpp
USER_AGENT = "snapstate-bench/1.0"
WORKFLOWS = {"small": "bench-small", "keys": "bench-keys", "flat": "bench-flat",
             "history": "bench-history"}


def stats(port):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/__stats")
    doc = json.loads(conn.getresponse().read())
    conn.close()
    return doc


def path_of(scenario):
    if scenario == "replay_100":
        return "/workflows/bench-replay/replay", None
    for word, workflow in WORKFLOWS.items():
        if scenario.startswith("resume_") and word in scenario:
            return "/workflows/%s/resume" % workflow, workflow
    raise SystemExit("python_floor.py: no such scenario " + scenario)


def run(port, scenario, iterations):
    path, workflow = path_of(scenario)
    headers = {"Authorization": "Bearer " + API_KEY, "Accept": "application/json",
               "User-Agent": USER_AGENT}
    conn = http.client.HTTPConnection("127.0.0.1", port)
    failures = wrong = 0
    first_error = ""

    def call():
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError("HTTP %d" % response.status)
        doc = json.loads(body)
        if workflow is None:
            return len(doc["checkpoints"]) == 100
        latest = doc["latest_checkpoint"]
        return doc["workflow_id"] == workflow and latest["step"] == 42 and \
            isinstance(latest["state"], dict) and len(latest["state"]) > 0

    before = stats(port)
    warmup = max(3, iterations // 20)
    for _ in range(warmup):
        call()
    warm = stats(port)
    latencies = []
    cpu0, t0 = time.process_time(), time.perf_counter()
    for _ in range(iterations):
        start = time.perf_counter()
        try:
            if not call():
                wrong += 1
        except Exception as e:  # noqa: BLE001 - any failure is counted, the first one shown
            failures += 1
            first_error = first_error or str(e)
        latencies.append((time.perf_counter() - start) * 1e6)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    after = stats(port)
    conn.close()
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * (len(latencies) - 1) + 0.5))]

    return {
        "impl": "python", "scenario": scenario, "threads": 1, "iterations": iterations,
        "wall_s": wall, "rps": iterations / wall, "ms_per_call": wall * 1000 / iterations,
        "cpu_ms_per_1k": cpu * 1e6 / iterations, "p50_us": pct(0.5), "p99_us": pct(0.99),
        "connections": after["accepts"] - before["accepts"],
        "server_requests": after["requests"] - before["requests"],
        "server_bad": after["bad"] - before["bad"],
        "server_cpu_share": (after["cpu_us"] - warm["cpu_us"]) / 1e6 / wall,
        "requests_expected": warmup + iterations, "failures": failures, "wrong": wrong,
        "first_error": first_error,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--scenarios", required=True)
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--large-iterations", type=int, default=100)
    args = parser.parse_args()
    failed = False
    for scenario in args.scenarios.split(","):
        small = "small" in scenario
        r = run(args.port, scenario, args.iterations if small else args.large_iterations)
        bad = r["failures"] or r["wrong"] or r["server_bad"] or r["connections"] != 1 or \
            r["server_requests"] != r["requests_expected"]
        if bad:
            print("bench check failed: " + json.dumps(r), file=sys.stderr)
            failed = True
        print(json.dumps(r), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
