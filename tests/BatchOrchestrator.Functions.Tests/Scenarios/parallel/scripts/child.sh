#!/bin/sh
# One child of a limited parallel group: records its start and end in log.txt. The first two
# children wait (at most 30 s) until both have started, so the window is seen full; the others
# run for a moment, so a child running beside them beyond the limit would show in the log.
set -eu
echo "start $1" >> log.txt
if [ "$(grep -c '^start' log.txt)" -le 2 ]; then
  i=0
  while [ "$(grep -c '^start' log.txt)" -lt 2 ]; do
    i=$((i + 1))
    if [ "$i" -gt 600 ]; then echo "no second child started beside $1" >&2; exit 1; fi
    sleep 0.05
  done
else
  sleep 0.2
fi
echo "end $1" >> log.txt
