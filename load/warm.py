"""Ask once for every address the visitors of load/locustfile.py ask for, so that a run measures a
site whose cache holds its pages, as a site that has been serving for a while does.

    .venv/bin/python load/warm.py http://127.0.0.1:8089
"""

import re
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from locustfile import CATEGORIES, DOWNLOAD_FILTERS, FILTERS, TABLES  # noqa: E402


def get(address):
    with urllib.request.urlopen(address, timeout=120) as response:
        return response.read().decode()


def main(server):
    listing = get(f"{server}/studies/?sort=title")
    slugs = re.findall(r'<h3><a href="/studies/([^/"]+)/', listing)
    addresses = [f"/studies/{query}" for query in FILTERS]
    addresses += [f"/studies/{slug}/" for slug in slugs]
    addresses += [f"/compare/?category={category}" for category in CATEGORIES]
    addresses += ["/studies/feed/"]
    addresses += [f"/studies/export/{table}.csv{query}" for table in TABLES for query in DOWNLOAD_FILTERS]
    for address in addresses:
        get(server + address)
    print(f"Asked once for each of {len(addresses)} addresses.")


if __name__ == "__main__":
    main(sys.argv[1])
