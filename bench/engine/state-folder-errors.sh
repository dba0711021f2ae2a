#!/usr/bin/env bash
# What `bo run` says for each broken state folder, one fresh folder per case: the exit code and the
# first lines it prints. Usage: bash bench/engine/state-folder-errors.sh path/to/bo.dll
# (a JIT build: dotnet build src/BatchOrchestrator.Cli -c Release -o DIR). Compares builds by eye.
set -u
BO=$1
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fresh() { rm -rf "$WORK/p"; mkdir -p "$WORK/p/.bo"; printf '+a:\n  echo>: hi\n' > "$WORK/p/h.dig"; }
run() { (cd "$WORK/p" && dotnet "$BO" run h.dig --session 2026-01-02 > out.txt 2>&1; echo "exit $?"; head -3 out.txt); }

for f in runtime.db runs.db; do fresh; echo notes > "$WORK/p/.bo/$f"; echo "== $f is not a database"; run; done
for f in runtime.db runs.db runtime.db-wal runtime.db.lock; do fresh; mkdir "$WORK/p/.bo/$f"; echo "== a folder at $f"; run; done
fresh; rmdir "$WORK/p/.bo"; echo x > "$WORK/p/.bo"; echo "== a file at .bo"; run
for f in runtime.db runs.db; do
  fresh
  (cd "$WORK/p" && dotnet "$BO" run h.dig --session 2026-01-01 > /dev/null 2>&1)
  # Everything into the database file, then its second half cut off.
  python3 -c "
import os, sqlite3, sys
f = sys.argv[1]
c = sqlite3.connect(f); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()
os.truncate(f, os.path.getsize(f) // 2)
for x in ('-wal', '-shm'):
    os.path.exists(f + x) and os.remove(f + x)" "$WORK/p/.bo/$f"
  echo "== $f truncated"; run
done
