"""Aggregation and loading steps of the daily ad-report batch (run by py> tasks)."""
import csv
import glob
import os
import sqlite3

import digdag


def aggregate(out_dir, report_date):
    """Sums every platform's report into one row per platform; stores the totals for later tasks."""
    totals = {}
    for path in sorted(glob.glob(os.path.join(out_dir, "*.csv"))):
        if os.path.basename(path) == "summary.csv":
            continue
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                platform = totals.setdefault(row["platform"], {"impressions": 0, "clicks": 0, "campaigns": 0})
                platform["impressions"] += int(row["impressions"])
                platform["clicks"] += int(row["clicks"])
                platform["campaigns"] += 1
    if not totals:
        raise Exception("no reports found in %s" % out_dir)

    summary = os.path.join(out_dir, "summary.csv")
    with open(summary, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["date", "platform", "campaigns", "impressions", "clicks", "ctr"])
        for name, t in sorted(totals.items()):
            writer.writerow([report_date, name, t["campaigns"], t["impressions"], t["clicks"], round(t["clicks"] / t["impressions"], 4)])

    digdag.env.store({
        "summary_file": summary,
        "platforms": len(totals),
        "total_impressions": sum(t["impressions"] for t in totals.values()),
        "total_clicks": sum(t["clicks"] for t in totals.values()),
    })
    print("aggregated %d platforms into %s" % (len(totals), summary))


def load(summary_file, database, report_date):
    """Loads the day's summary into SQLite; loading the same day again replaces it (safe to re-run)."""
    os.makedirs(os.path.dirname(database) or ".", exist_ok=True)
    connection = sqlite3.connect(database)
    try:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS daily_platform_stats ("
            " date TEXT, platform TEXT, campaigns INTEGER, impressions INTEGER, clicks INTEGER, ctr REAL,"
            " PRIMARY KEY (date, platform))")
        with open(summary_file, newline="") as f:
            rows = [(r["date"], r["platform"], int(r["campaigns"]), int(r["impressions"]), int(r["clicks"]), float(r["ctr"]))
                    for r in csv.DictReader(f)]
        with connection:
            connection.execute("DELETE FROM daily_platform_stats WHERE date = ?", (report_date,))
            connection.executemany("INSERT INTO daily_platform_stats VALUES (?, ?, ?, ?, ?, ?)", rows)
        print("loaded %d rows for %s into %s" % (len(rows), report_date, database))
    finally:
        connection.close()
