"""Formats of the identifiers a study carries, and their normalised spelling.

Curators paste identifiers from many places (doi.org links, "PMID: 123", lower-case
NCT numbers); every copy is stored in one canonical form so search, links and
de-duplication work.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

# Crossref's pattern for modern DOIs, which nearly all DOIs match. It leaves out braces, quotes,
# spaces and angle brackets, so a DOI can travel into a citation file or a link unchanged.
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Z0-9]+$", re.IGNORECASE)
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")
PMID_PATTERN = re.compile(r"^[1-9]\d{0,8}$")
PMCID_PATTERN = re.compile(r"^PMC\d{1,9}$")
NCT_PATTERN = re.compile(r"^NCT\d{8}$")


def normalize_doi(value):
    value = value.strip()
    for prefix in DOI_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :].strip()
            break
    # DOIs are case-insensitive; lower case is the form doi.org and Crossref display.
    value = value.lower()
    if value and not DOI_PATTERN.match(value):
        raise ValidationError(
            f"'{value}' is not a DOI. A DOI starts with '10.', then a registrant code of 4 to 9 digits, "
            "a slash and a suffix of letters, digits and - . _ ; ( ) / : only, e.g. 10.1111/jocd.15869.",
            code="invalid_doi",
        )
    return value


def normalize_pmid(value):
    value = value.strip()
    value = re.sub(r"^(pmid)\s*:?\s*", "", value, flags=re.IGNORECASE)
    if value and not PMID_PATTERN.match(value):
        raise ValidationError(
            f"'{value}' is not a PubMed ID. A PMID is a number of up to 9 digits, e.g. 39174804.",
            code="invalid_pmid",
        )
    return value


def normalize_pmcid(value):
    value = value.strip().upper().replace(" ", "")
    if value.isdigit():
        value = f"PMC{value}"
    if value and not PMCID_PATTERN.match(value):
        raise ValidationError(
            f"'{value}' is not a PubMed Central ID. A PMCID is 'PMC' followed by digits, e.g. PMC7759059.",
            code="invalid_pmcid",
        )
    return value


@dataclass(frozen=True)
class Registry:
    """A trial registry: how its IDs are spelled, and where a record can be read."""

    name: str
    prefix: str  # the ID's leading letters as the registry prints them ("" for EU CT numbers)
    pattern: re.Pattern
    example: str
    url: str  # with {id} for the whole ID and {number} for the part after the prefix

    def link(self, identifier):
        return self.url.format(id=identifier, number=identifier[len(self.prefix) :])


# WHO's International Clinical Trials Registry Platform shows records of registries whose own
# pages are addressed by an internal number rather than by the trial's ID.
WHO_ICTRP = "https://trialsearch.who.int/Trial2.aspx?TrialID={id}"
REGISTRIES = [
    Registry("ClinicalTrials.gov", "NCT", NCT_PATTERN, "NCT06539273", "https://clinicaltrials.gov/study/{id}"),
    Registry(
        "ANZCTR (Australian New Zealand Clinical Trials Registry)",
        "ACTRN",
        re.compile(r"^ACTRN\d{14}$"),
        "ACTRN12625000548437",
        "https://www.anzctr.org.au/Trial/Registration/TrialReview.aspx?ACTRN={number}",
    ),
    Registry(
        "ISRCTN registry", "ISRCTN", re.compile(r"^ISRCTN\d{8}$"), "ISRCTN12345678", "https://www.isrctn.com/{id}"
    ),
    Registry(
        "IRCT (Iranian Registry of Clinical Trials)",
        "IRCT",
        re.compile(r"^IRCT\d{10,14}N\d{1,3}$"),
        "IRCT20190810044500N1",
        WHO_ICTRP,
    ),
    Registry(
        "ChiCTR (Chinese Clinical Trial Registry)",
        "ChiCTR",
        re.compile(r"^ChiCTR(-[A-Z]{2,4}-)?\d{8,10}$"),
        "ChiCTR2000029308",
        WHO_ICTRP,
    ),
    Registry(
        "EU Clinical Trials Register (EU CT number)",
        "",
        re.compile(r"^\d{4}-\d{6}-\d{2}-\d{2}$"),
        "2023-503725-17-00",
        "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT={id}",
    ),
]


def registry_of(identifier):
    """The registry an ID in its normalised spelling belongs to, or None for one not known here."""
    return next((registry for registry in REGISTRIES if registry.pattern.match(identifier)), None)


def _registry_for_prefix(value):
    upper = value.upper()
    for registry in REGISTRIES:
        if registry.prefix and upper.startswith(registry.prefix.upper()):
            return registry
    if re.match(r"^\d{4}-", value):
        return REGISTRIES[-1]
    return None


def normalize_registry_id(value):
    """IDs of the registries listed above are checked strictly and spelled as each registry prints
    them; another registry's ID (DRKS, CTRI, jRCT, ...) is kept as typed, without a link."""
    value = value.strip()
    registry = _registry_for_prefix(value)
    if registry is None:
        return value
    compact = value.replace(" ", "")
    spelled = registry.prefix + compact[len(registry.prefix) :].upper()
    if not registry.pattern.match(spelled):
        raise ValidationError(
            f"'{value}' is not a {registry.name} ID. It is written like {registry.example}.",
            code="invalid_registry_id",
        )
    return spelled


def registry_url(identifier):
    registry = registry_of(identifier)
    return registry.link(identifier) if registry else ""
