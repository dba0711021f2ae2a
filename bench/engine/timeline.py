#!/usr/bin/env python3
"""Where the time between one sh> task's exit and the next one's spawn goes, on a chain run.

Record a run with the scheduler's tracepoints, then read them with this script:

    perf record -e sched:sched_process_fork,sched:sched_process_exec,sched:sched_process_exit,\\
sched:sched_switch,sched:sched_waking -o tl.data bo-bench chain.dig
    perf script -i tl.data > tl.txt
    python3 bench/engine/timeline.py tl.txt

For each command (a child of a .NET thread that exec'd) it takes its fork, exec and exit, and
the next command's fork; between an exit and the next fork (the engine's part of the critical
path) it counts the wake-ups of the engine's threads and their scheduling delay (waking to
running). Medians and deciles over the run.
"""
import re
import statistics
import sys

HEAD = r'^\s*(.+?)\s+(\d+)\s+\[\d+\]\s+([\d.]+):\s+sched:'
FORK = re.compile(HEAD + r'sched_process_fork: comm=(.+?) pid=(\d+) child_comm=(.+?) child_pid=(\d+)')
EXIT = re.compile(HEAD + r'sched_process_exit: comm=(\S+) pid=(\d+)')
EXEC = re.compile(HEAD + r'sched_process_exec: filename=(\S+) pid=(\d+)')
WAKING = re.compile(HEAD + r'sched_waking: comm=(.+?) pid=(\d+) ')
# The engine's threads: the runtime's (".NET TP Worker", ".NET SigHandler", ...) and the local executor's child watcher.
ENGINE = ('.NET', 'bo-child-watch')
SWITCH = re.compile(HEAD + r'sched_switch: prev_comm=(.+?) prev_pid=(\d+) .* next_comm=(.+?) next_pid=(\d+)')


def read(path):
    forks, exits, execs, wakings, switch_ins = [], {}, {}, [], {}
    for line in open(path, encoding='utf-8', errors='replace'):
        if m := FORK.match(line):
            if m.group(1).startswith('.NET'):
                forks.append((float(m.group(3)), int(m.group(7))))
        elif m := EXIT.match(line):
            exits[int(m.group(5))] = float(m.group(3))
        elif m := EXEC.match(line):
            execs.setdefault(int(m.group(5)), float(m.group(3)))
        elif m := WAKING.match(line):
            if m.group(4).startswith(ENGINE):
                wakings.append((float(m.group(3)), int(m.group(5))))
        elif m := SWITCH.match(line):
            switch_ins.setdefault(int(m.group(7)), []).append(float(m.group(3)))
    # Thread-pool threads are forked too: the commands are the children that exec'd.
    return [f for f in forks if f[1] in execs], exits, execs, wakings, switch_ins


def spread(values):
    ordered = sorted(values)
    return (f"median {statistics.median(ordered):.3f} ms, p10 {ordered[len(ordered) // 10]:.3f}, "
            f"p90 {ordered[9 * len(ordered) // 10]:.3f}")


def main(path):
    forks, exits, execs, wakings, switch_ins = read(path)
    spawn, command, gap, wakes, delays = [], [], [], [], []
    for (forked, pid), (next_fork, _) in zip(forks, forks[1:]):
        exited = exits.get(pid)
        if exited is None:
            continue
        spawn.append((execs[pid] - forked) * 1e3)
        command.append((exited - forked) * 1e3)
        gap.append((next_fork - exited) * 1e3)
        woken = [(t, p) for (t, p) in wakings if exited <= t <= next_fork]
        wakes.append(len(woken))
        delay = 0.0
        for t, p in woken:
            running = next((s for s in switch_ins.get(p, []) if s >= t), None)
            if running is not None:
                delay += (running - t) * 1e3
        delays.append(delay)
    if not gap:
        sys.exit('no commands found: was the run recorded with the sched tracepoints above?')
    print(f"commands {len(gap)}")
    print(f"fork -> exec (spawn):             {spread(spawn)}")
    print(f"fork -> exit (the command):       {spread(command)}")
    print(f"exit -> next fork (the engine):   {spread(gap)}")
    print(f"engine threads woken in that gap: median {statistics.median(wakes)}, mean {statistics.mean(wakes):.2f}")
    print(f"their scheduling delay, summed:   {spread(delays)}")


if __name__ == '__main__':
    main(sys.argv[1])
