"""Counts the commits and page frames each SQLite database of a run wrote to its WAL.

Reads the output of
    strace -f -e trace=pwrite64 -y -xx -s 24 -o TRACE bo-bench WORKFLOW.dig
where every 24-byte write to a `-wal` file is a frame header: its page number and, for the frame
that ends a commit, the database's size. Usage: python3 wal-frames.py TRACE [TASKS]
"""
import collections
import re
import sys

HEX = re.compile(r'\\x([0-9a-f]{2})')
WRITE = re.compile(r'pwrite64\(\d+<([^>]+)>, "((?:\\x[0-9a-f]{2})*)"\.*, (\d+), (\d+)\)')


def unhex(text):
    return bytes(int(x, 16) for x in HEX.findall(text))


def main(trace, tasks):
    frames = collections.Counter()
    commits = collections.Counter()
    pages = collections.defaultdict(collections.Counter)
    for line in open(trace, encoding='utf-8', errors='replace'):
        match = WRITE.search(line)
        if not match or int(match.group(3)) != 24:
            continue
        path = match.group(1)
        path = unhex(path).decode() if '\\x' in path else path
        if not path.endswith('-wal'):
            continue
        header = unhex(match.group(2))
        database = path.rsplit('/', 1)[-1][:-len('-wal')]
        frames[database] += 1
        pages[database][int.from_bytes(header[0:4], 'big')] += 1
        if int.from_bytes(header[4:8], 'big'):
            commits[database] += 1
    for database in sorted(frames):
        print(f'{database}: {commits[database]} commits ({commits[database] / tasks:.2f} a task), '
              f'{frames[database]} frames ({frames[database] / tasks:.2f} a task, '
              f'{frames[database] / max(1, commits[database]):.2f} a commit); '
              f'pages written most: {pages[database].most_common(6)}')


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1)
