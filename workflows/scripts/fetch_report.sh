#!/bin/sh
# Simulates downloading one ad platform's daily report from its API and saving it as CSV.
# usage: fetch_report.sh PLATFORM BASE_IMPRESSIONS CAMPAIGNS [--flaky]
# With --flaky the "API" answers 503 to the first try of every attempt (BO_TRY, set by sh>, is 1),
# as real ones do now and then: each run shows a retry, the same way every time.
set -eu
platform=$1
base=$2
campaigns=$3
mkdir -p "$out_dir"

if [ "${4:-}" = "--flaky" ] && [ "${BO_TRY:-1}" = 1 ]; then
  echo "GET https://api.$platform.example/v1/reports?date=$report_date -> 503 Service Unavailable (simulated)" >&2
  exit 1
fi

file="$out_dir/$platform.csv"
echo "date,platform,campaign,impressions,clicks" > "$file"
i=1
while [ "$i" -le "$campaigns" ]; do
  impressions=$((base + (i * 37) % 400))
  clicks=$((impressions / (20 + i % 7)))
  echo "$report_date,$platform,campaign-$i,$impressions,$clicks" >> "$file"
  i=$((i + 1))
done
echo "saved $campaigns campaigns of $platform to $file"
