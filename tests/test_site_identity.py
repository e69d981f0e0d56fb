"""One name for the site everywhere, set by TRACKER_SITE_NAME, and an icon for browsers' tabs."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import make_study

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_NAME = "Hair-loss evidence tracker"


def title_of(response):
    return re.search(r"<title>(.*?)</title>", response.text, re.DOTALL)[1].strip()


def site_header_of(response):
    return re.search(r'<a class="site-name"[^>]*>(.*?)</a>', response.text)[1]


@pytest.mark.django_db
def test_every_public_page_names_the_site_the_same_way_in_its_title_and_header(client):
    study = make_study(title="Topical exosomes after microneedling")
    pages = {
        reverse("studies:home"): DEFAULT_NAME,
        reverse("studies:list"): f"Studies · {DEFAULT_NAME}",
        reverse("studies:compare"): f"Compare outcomes · {DEFAULT_NAME}",
        reverse("studies:data"): f"Data dictionary · {DEFAULT_NAME}",
        study.get_absolute_url(): f"Topical exosomes after microneedling · {DEFAULT_NAME}",
    }
    for url, title in pages.items():
        response = client.get(url)
        assert (title_of(response), site_header_of(response)) == (title, DEFAULT_NAME), url


@pytest.mark.django_db
def test_the_feed_the_admin_the_data_package_and_citations_use_the_same_name(client, admin_client):
    make_study(slug="named-study")
    assert f"<title>{DEFAULT_NAME}: studies</title>" in client.get(reverse("studies:feed")).text
    login = client.get(reverse("admin:login"))
    assert title_of(login).endswith(f"{DEFAULT_NAME}: curation")
    assert f'<a href="/admin/">{DEFAULT_NAME}: curation</a>' in admin_client.get(reverse("admin:index")).text
    ris = client.get(reverse("studies:cite", args=["named-study", "ris"]))
    assert f"DB  - {DEFAULT_NAME}" in b"".join(ris.streaming_content).decode()


# A server started with TRACKER_SITE_NAME set: its pages, admin, feed, data package and citations.
VISIT_UNDER_ANOTHER_NAME = """
import io, json, zipfile
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
call_command("migrate", verbosity=0)
from tests.factories import make_study
make_study(slug="named-study", title="A named study")
client = Client()
found = {
    "home title": client.get("/").content.decode().split("<title>")[1].split("</title>")[0],
    "admin login": client.get("/admin/login/").content.decode().split("<title>")[1].split("</title>")[0],
    "feed": client.get("/studies/feed/").content.decode().split("<title>")[1].split("</title>")[0],
    "data package": json.loads(
        zipfile.ZipFile(io.BytesIO(b"".join(client.get("/studies/export.zip").streaming_content))).read(
            "datapackage.json"
        )
    )["title"],
    "citation": [
        line
        for line in b"".join(client.get("/studies/named-study/cite.ris").streaming_content).decode().splitlines()
        if line.startswith("DB")
    ],
}
print(json.dumps(found))
"""


def test_the_site_name_is_set_by_the_environment(tmp_path):
    environment = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DATABASE_"))}
    environment.update(
        TRACKER_SITE_NAME="Alopecia trials register",
        DJANGO_DEBUG="true",
        DJANGO_SETTINGS_MODULE="tracker.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'named.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", VISIT_UNDER_ANOTHER_NAME],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "home title": "Alopecia trials register",
        "admin login": "Log in | Alopecia trials register: curation",
        "feed": "Alopecia trials register: studies",
        "data package": "Alopecia trials register",
        "citation": ["DB  - Alopecia trials register"],
    }


def test_pages_link_the_site_icon(client, db):
    icon = '<link rel="icon" href="/static/studies/favicon.svg" type="image/svg+xml">'
    assert icon in client.get(reverse("studies:home")).text
    assert icon in client.get(reverse("admin:login")).text


def test_browsers_asking_for_favicon_ico_are_sent_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url == "/static/studies/favicon.svg"
    icon = Path(finders.find("studies/favicon.svg")).read_text()
    assert icon.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
