#!/usr/bin/env python3
"""The fixed cost of a run, for two or more bo-bench builds compared run by run.

usage: python3 bench/engine/startup-ab.py N LABEL=PATH/bo-bench [LABEL=PATH/bo-bench ...]

For each of N rounds and each build in turn: one `sh>: true` workflow in a fresh folder, then
`bo-bench --start` on a fresh folder (the engine started and stopped). Prints the medians of wall
time and of CPU time (user + system of the process and its children, from wait4) and the load
average before and after: on a shared machine read the CPU, and alternate builds so that a change
of load hits them alike.
"""
import os
import shutil
import statistics
import sys
import tempfile
import time


def run(argv):
    started = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ)
    _, status, usage = os.wait4(pid, 0)
    wall = (time.perf_counter() - started) * 1000
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)} failed ({status})")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        sys.exit(__doc__)
    rounds = int(sys.argv[1])
    builds = [arg.split("=", 1) for arg in sys.argv[2:]]
    work = tempfile.mkdtemp(prefix="startup-ab-")
    times = {(label, mode): [] for label, _ in builds for mode in ("one sh>", "--start")}
    load_before = open("/proc/loadavg").read().split()[:3]
    try:
        for i in range(rounds):
            for mode in ("one sh>", "--start"):
                for label, binary in builds:
                    folder = os.path.join(work, f"{label}-{i}")
                    os.makedirs(folder)
                    if mode == "one sh>":
                        with open(os.path.join(folder, "one.dig"), "w") as f:
                            f.write("+only:\n  sh>: true\n")
                        times[(label, mode)].append(run([binary, os.path.join(folder, "one.dig")]))
                    else:
                        times[(label, mode)].append(run([binary, "--start", folder]))
                    shutil.rmtree(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load_after = open("/proc/loadavg").read().split()[:3]
    print(f"{rounds} runs each, alternating; load average {' '.join(load_before)} -> {' '.join(load_after)}")
    for (label, mode), samples in times.items():
        wall = statistics.median(s[0] for s in samples)
        cpu = statistics.median(s[1] for s in samples)
        print(f"{label:12s} {mode:8s} wall {wall:6.1f} ms, CPU {cpu:5.1f} ms (medians)")


main()
