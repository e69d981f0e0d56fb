"""Formats of the identifiers a study carries, and their normalised spelling.

Curators paste identifiers from many places (doi.org links, "PMID: 123", lower-case
NCT numbers); every copy is stored in one canonical form so search, links and
de-duplication work.
"""

import re

from django.core.exceptions import ValidationError

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
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
            f"'{value}' is not a DOI. A DOI starts with '10.', then a registrant code, "
            "a slash and a suffix, e.g. 10.1111/jocd.15869.",
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


def normalize_registry_id(value):
    """NCT numbers are checked strictly; other registries' IDs are kept as typed."""
    value = value.strip()
    if value.upper().startswith("NCT"):
        value = value.upper().replace(" ", "")
        if not NCT_PATTERN.match(value):
            raise ValidationError(
                f"'{value}' is not a ClinicalTrials.gov number. An NCT number is 'NCT' "
                "followed by exactly 8 digits, e.g. NCT06539273.",
                code="invalid_nct",
            )
    return value


def registry_url(identifier):
    if NCT_PATTERN.match(identifier):
        return f"https://clinicaltrials.gov/study/{identifier}"
    return ""
