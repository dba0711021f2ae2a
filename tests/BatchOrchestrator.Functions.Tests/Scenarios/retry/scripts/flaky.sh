#!/bin/sh
# usage: flaky.sh NAME FAILURES — fails until it has been called more than FAILURES times
# (a counter file per name), and writes the time of each call (ms) to NAME.times.
n=$(cat "$1.count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$1.count"
echo "$(($(date +%s%N) / 1000000))" >> "$1.times"
if [ "$n" -le "$2" ]; then
  echo "$1 failed on call $n" >&2
  exit 1
fi
echo "$1 succeeded on call $n"
