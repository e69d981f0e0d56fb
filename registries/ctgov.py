"""One study record of the ClinicalTrials.gov API v2, fetched over HTTP or read from a saved file.

Whatever goes wrong ends in a `RecordError` whose message a curator can act on; nothing here
touches the database.
"""

import json

import httpx
from django.conf import settings

from studies import identifiers

MAX_RECORD_BYTES = 10 * 1024 * 1024
MAX_RECORD_TEXT = "10 MB"


class RecordError(Exception):
    """A record that could not be read, with why in a curator's words."""


class RegistryUnreachable(RecordError):
    """ClinicalTrials.gov did not answer: no network, a timeout, or a server error twice over."""


def nct_number(text):
    """The NCT number in its registry spelling, or RecordError for anything else."""
    value = str(text).strip().upper().replace(" ", "")
    if not identifiers.NCT_PATTERN.match(value):
        raise RecordError(
            f"'{str(text).strip()}' is not a ClinicalTrials.gov number: it is written NCT followed by 8 digits, "
            "e.g. NCT02210780."
        )
    return value


def user_agent():
    # The registry asks heavy users to say who they are; the address lets it reach the site's owner.
    where = f" (+{settings.PUBLIC_URL})" if settings.PUBLIC_URL else ""
    return f"{settings.SITE_NAME} registry reader{where} httpx/{httpx.__version__}"


def fetch_record(nct_id):
    """The study record of `nct_id` from the API, tried twice when the registry does not answer."""
    nct_id = nct_number(nct_id)
    address = f"{settings.CTGOV_API_URL}/studies/{nct_id}"
    headers = {"User-Agent": user_agent(), "Accept": "application/json"}
    problem = ""
    for _attempt in range(2):
        try:
            client = httpx.Client(timeout=settings.CTGOV_TIMEOUT, headers=headers, follow_redirects=True)
            with client, client.stream("GET", address) as response:
                if response.status_code == 404:
                    raise RecordError(f"ClinicalTrials.gov has no study {nct_id} (404). Check the number.")
                if response.status_code >= 500:
                    problem = f"it answered with error {response.status_code}"
                    continue
                if response.status_code != 200:
                    raise RecordError(
                        f"ClinicalTrials.gov refused the request for {nct_id} (status {response.status_code})."
                    )
                body = read_at_most(response.iter_bytes())
        except httpx.TimeoutException:
            problem = f"it did not answer within {settings.CTGOV_TIMEOUT:g} seconds"
        except httpx.TransportError as error:
            problem = f"no connection ({error.__class__.__name__})"
        else:
            return parse_record(body, expected=nct_id)
    raise RegistryUnreachable(
        f"ClinicalTrials.gov could not be reached: {problem}. Nothing was changed; try again later, or "
        "import a record saved as a file."
    )


def read_at_most(chunks):
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if len(body) > MAX_RECORD_BYTES:
            raise RecordError(f"The record is larger than {MAX_RECORD_TEXT}; a study record is far smaller.")
    return bytes(body)


def read_file(uploaded, expected=None):
    """The record in an uploaded or opened file (anything with read())."""
    return parse_record(read_at_most(iter(lambda: uploaded.read(1024 * 1024), b"")), expected=expected)


def parse_record(body, expected=None):
    """The record as a dict, once it is known to be one API v2 study (of `expected`, when given)."""
    if len(body) > MAX_RECORD_BYTES:
        raise RecordError(f"The record is larger than {MAX_RECORD_TEXT}; a study record is far smaller.")
    try:
        record = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise RecordError(f"The record is not JSON ({error}).") from error
    nct_id = None
    if isinstance(record, dict):
        identification = (record.get("protocolSection") or {}).get("identificationModule") or {}
        nct_id = identification.get("nctId") if isinstance(identification, dict) else None
    if not isinstance(nct_id, str) or not identifiers.NCT_PATTERN.match(nct_id):
        raise RecordError(
            "This is not a ClinicalTrials.gov API v2 study record: it has no protocolSection with an "
            "identificationModule naming an NCT number."
        )
    if expected and nct_id != expected:
        raise RecordError(f"The record is of {nct_id}, not of {expected}.")
    return record
