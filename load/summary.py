"""Print the load test's figures for the run without the cache and the run with it, from Locust's
statistics files, and fail when a target is missed: no errors, the cached run serving at least 5
times the requests per second, and every page's p95 under 100 ms with the cache."""

import csv
import sys

PAGES = {"list", "detail", "compare", "feed"}
PAGE_P95_TARGET_MS = 100
SPEED_UP_TARGET = 5


def read(path):
    with open(path, newline="") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def show(label, rows):
    print(f"\n{label}")
    print(f"{'':<12}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for name, row in rows.items():
        print(
            f"{name:<12}{row['Request Count']:>9}{row['Failure Count']:>8}{float(row['Requests/s']):>8.1f}"
            f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
        )


uncached, cached = read(sys.argv[1]), read(sys.argv[2])
show("Without the cache (CACHE_URL=dummy://)", uncached)
show("With the cache (Redis)", cached)
errors = sum(int(rows["Aggregated"]["Failure Count"]) for rows in (uncached, cached))
speed_up = float(cached["Aggregated"]["Requests/s"]) / max(float(uncached["Aggregated"]["Requests/s"]), 0.001)
slow_pages = [name for name in sorted(PAGES) if name in cached and float(cached[name]["95%"]) >= PAGE_P95_TARGET_MS]
print(
    f"\nerrors: {errors}; with the cache: {speed_up:.1f} x the requests/s (target {SPEED_UP_TARGET} x); "
    f"pages with p95 at or over {PAGE_P95_TARGET_MS} ms with the cache: {', '.join(slow_pages) or 'none'}"
)
sys.exit(1 if errors or slow_pages or speed_up < SPEED_UP_TARGET else 0)
