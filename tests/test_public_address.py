"""Links that leave the site (feeds, downloads, citations) carry its configured address, never the
Host header a client sent."""

import csv
import io
import xml.etree.ElementTree as ElementTree

import pytest
from django.urls import reverse

from tests.factories import make_study
from tests.test_serving import run_python

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SPOOFED_HOST = "127.0.0.1:99999"


@pytest.fixture
def public_address(settings):
    settings.PUBLIC_URL = "https://evidence.example.org"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    make_study(slug="addressed-study", title="Addressed study")
    return settings.PUBLIC_URL


def test_the_feed_links_to_the_configured_address_whatever_the_host_header(client, public_address):
    root = ElementTree.fromstring(client.get(reverse("studies:feed"), HTTP_HOST=SPOOFED_HOST).content)
    links = [link.get("href") for link in root.iter(f"{ATOM}link")]
    assert links and all(link.startswith(public_address + "/") for link in links)
    assert f"{public_address}/studies/addressed-study/" in links
    assert root.find(f"{ATOM}id").text.startswith(public_address)


def test_downloads_and_citations_carry_the_configured_address(client, public_address):
    response = client.get(reverse("studies:export", args=["studies"]), HTTP_HOST=SPOOFED_HOST)
    (row,) = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert row["public_url"] == f"{public_address}/studies/addressed-study/"
    ris = client.get(reverse("studies:cite", args=["addressed-study", "ris"]), HTTP_HOST=SPOOFED_HOST)
    text = b"".join(ris.streaming_content).decode()
    assert f"UR  - {public_address}/studies/addressed-study/" in text and "99999" not in text


@pytest.mark.parametrize(
    "address",
    ["evidence.example.org", "ftp://evidence.example.org", "https://evidence.example.org:99999", "https://x.org/path"],
)
def test_a_malformed_public_address_stops_the_site_with_a_message(address):
    result = run_python("-c", "import tracker.wsgi", TRACKER_PUBLIC_URL=address)
    assert result.returncode != 0
    assert "TRACKER_PUBLIC_URL must be" in result.stderr


def test_a_server_refuses_to_start_without_a_public_address():
    result = run_python("-c", "import tracker.wsgi", TRACKER_PUBLIC_URL=None)
    assert result.returncode != 0
    assert "TRACKER_PUBLIC_URL is unset" in result.stderr
