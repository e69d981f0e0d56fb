"""Print the load test's figures from Locust's statistics file, and fail when a target is missed."""

import csv
import sys

PAGES = {"list", "detail", "compare"}
PAGE_P95_TARGET_MS = 300

with open(sys.argv[1], newline="") as handle:
    rows = {row["Name"]: row for row in csv.DictReader(handle)}

print(f"{'':<12}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
for name, row in rows.items():
    print(
        f"{name:<12}{row['Request Count']:>9}{row['Failure Count']:>8}{float(row['Requests/s']):>8.1f}"
        f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
    )
total = rows["Aggregated"]
errors = int(total["Failure Count"])
slow_pages = [name for name in PAGES if name in rows and float(rows[name]["95%"]) >= PAGE_P95_TARGET_MS]
print(f"errors: {errors}; pages with p95 at or over {PAGE_P95_TARGET_MS} ms: {', '.join(slow_pages) or 'none'}")
sys.exit(1 if errors or slow_pages else 0)
