#!/usr/bin/python3
"""The CPU a command and every process under it used: user, sys, and a split by kind.

    /usr/bin/python3 tests/e2e/cpu-of.py npx vitest run --project e2e tests/e2e/grpc-lesson.test.ts

CPU, not wall time: on a shared, loaded machine the wall time says more about the neighbours. It
runs the command as a child subreaper (prctl PR_SET_CHILD_SUBREAPER), so a Chromium that outlives
the vitest worker that launched it is reaped here and counted too (/usr/bin/time would lose it),
and it reads the process tree every half second to split the CPU by kind: Chromium's renderer,
GPU, utility and browser processes, and node (the vitest worker, with the server it started).
The split is from samples, so it can miss the last half second of a process; the total is exact.
"""
import ctypes
import os
import re
import resource
import subprocess
import sys
import threading
import time

PR_SET_CHILD_SUBREAPER = 36
TICKS = os.sysconf('SC_CLK_TCK')


def kind_of(pid):
    try:
        with open(f'/proc/{pid}/cmdline', 'rb') as file:
            command = file.read().replace(b'\0', b' ')
    except OSError:
        return None
    program = os.path.basename(command.split(b' ')[0].decode(errors='replace'))
    if 'chrom' in program:
        # a renderer rewrites its command line into one string: look for --type anywhere
        match = re.search(rb'--type=([a-z-]+)', command)
        return 'chromium-' + (match.group(1).decode() if match else 'browser')
    return program


def processes():
    """pid -> (parent pid, CPU seconds so far) for every process now."""
    table = {}
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            with open(f'/proc/{name}/stat') as file:
                stat = file.read()
        except OSError:
            continue
        fields = stat[stat.rindex(')') + 2:].split()
        table[int(name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS)
    return table


def main():
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    started, load = time.time(), os.getloadavg()[0]
    child = subprocess.Popen(sys.argv[1:])
    last_seen = {}  # pid -> (kind, CPU seconds)
    running = True

    def sample():
        while running:
            table = processes()
            children = {}
            for pid, (parent, _) in table.items():
                children.setdefault(parent, []).append(pid)
            stack, mine = [os.getpid()], set()
            while stack:
                for pid in children.get(stack.pop(), []):
                    if pid not in mine:
                        mine.add(pid)
                        stack.append(pid)
            for pid in mine:
                kind = kind_of(pid) or last_seen.get(pid, (None,))[0]
                if kind:
                    last_seen[pid] = (kind, table[pid][1])
            time.sleep(0.5)

    threading.Thread(target=sample, daemon=True).start()
    code = child.wait()
    while True:  # whatever the command left running, waited for and counted
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    running = False
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    by_kind = {}
    for kind, seconds in last_seen.values():
        by_kind[kind] = by_kind.get(kind, 0) + seconds
    split = ' '.join(f'{kind} {seconds:.1f}' for kind, seconds in sorted(by_kind.items(), key=lambda item: -item[1]) if seconds >= 0.5)
    print(
        f'CPU {usage.ru_utime + usage.ru_stime:.1f} s (user {usage.ru_utime:.1f}, sys {usage.ru_stime:.1f}), '
        f'{time.time() - started:.0f} s wall, load {load:.1f} → {os.getloadavg()[0]:.1f}, exit {code}; by kind: {split}',
        file=sys.stderr,
    )
    sys.exit(code)


main()
