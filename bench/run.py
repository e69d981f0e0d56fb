"""`make bench`: build (or reuse) databases of 1,000 and 100,000 synthetic studies, measure, report.

The last line printed is one JSON object with every figure. With DATABASE_URL pointing at
PostgreSQL the same measurements run there (databases <name>_bench_<size>).
"""

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench"
MEASURE = ROOT / "bench" / "measure.py"
SIZES = {"small": 1_000, "large": 100_000}
# Two filters, a sort that is not the default, page 3.
LIST_QUERY = "condition=androgenetic_alopecia&year_min=2018&sort=largest&page=3"


def run(script, *arguments, database_url, capture=False):
    environment = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, str(script), *arguments]
    if capture:
        return subprocess.run(command, env=environment, check=True, capture_output=True, text=True).stdout
    subprocess.run(command, env=environment, check=True)
    return ""


def manage(*arguments, database_url):
    return run(ROOT / "manage.py", *arguments, database_url=database_url)


def schema_stamp():
    """Changes when the migrations or the generator change, so a cached database is rebuilt when it must be."""
    sources = [*sorted((ROOT / "studies" / "migrations").glob("0*.py")), ROOT / "studies" / "synthetic.py"]
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def database_for(size):
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        parsed = urlparse(base)
        return parsed._replace(path=f"{parsed.path.rstrip('/') or '/tracker'}_bench_{size}").geturl()
    return f"sqlite:///{CACHE / f'studies-{size}.sqlite3'}"


def prepare(size):
    url = database_for(size)
    stamp_file = CACHE / f"studies-{size}.{'pg' if url.startswith('postgres') else 'sqlite'}.stamp"
    wanted = f"{schema_stamp()} {size}"
    if stamp_file.exists() and stamp_file.read_text() == wanted:
        print(f"Reusing the database of {size} studies ({url}).", flush=True)
        return url
    print(f"Building a database of {size} synthetic studies ({url}).", flush=True)
    if url.startswith("sqlite"):
        Path(urlparse(url).path).unlink(missing_ok=True)
    else:
        recreate_postgres_database(url)
    started = time.perf_counter()
    manage("migrate", "--noinput", "-v0", database_url=url)
    manage("generate_synthetic_studies", "--studies", str(size), "--seed", "1", database_url=url)
    if url.startswith("postgres"):
        vacuum_postgres_database(url)
    print(f"Built in {time.perf_counter() - started:.0f} s.", flush=True)
    stamp_file.write_text(wanted)
    return url


def recreate_postgres_database(url):
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    maintenance = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def vacuum_postgres_database(url):
    """Mark the freshly written rows visible to all, as autovacuum does on a database in service:
    until then PostgreSQL reads the table behind every index entry, even for a count an index answers."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def peak_memory_mb(url):
    """Peak resident memory of a process that streams the whole outcomes.csv export."""
    environment = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, str(MEASURE), "--export-only"]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit("The export process failed.")
    return round(usage.ru_maxrss / 1024, 1)  # Linux reports kilobytes


def main():
    CACHE.mkdir(exist_ok=True)
    started = time.perf_counter()
    figures = {}
    for label, size in SIZES.items():
        url = prepare(size)
        print(f"Measuring {size} studies ...", flush=True)
        measured = json.loads(run(MEASURE, "--list-query", LIST_QUERY, database_url=url, capture=True))
        print(json.dumps(measured), flush=True)
        figures[f"studies_{label}"] = measured["studies"]
        for key in (
            "list_ms",
            "list_queries",
            "list_facets_ms",
            "list_facets_queries",
            "list_cached_ms",
            "list_cached_queries",
            "detail_cached_ms",
            "detail_ms",
            "detail_queries",
            "api_list_ms",
            "api_list_queries",
            "api_detail_ms",
            "api_detail_queries",
            "admin_list_ms",
            "admin_list_queries",
        ):
            figures[f"{key}_{label}"] = measured[key]
        figures[f"export_peak_rss_mb_{label}"] = peak_memory_mb(url)
        if label == "large":
            figures["export_rows_large"] = measured["export_rows"]
            figures["export_rows_per_s"] = measured["export_rows_per_s"]
            figures["raw_rows_per_s"] = measured["raw_rows_per_s"]
            figures["export_first_byte_ms"] = measured["export_first_byte_ms"]
            figures["export_first_row_ms"] = measured["export_first_row_ms"]
    figures["list_query"] = LIST_QUERY
    figures["database"] = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    figures["bench_seconds"] = round(time.perf_counter() - started)
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
