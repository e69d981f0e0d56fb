"""Citations of study records for reference managers, in RIS and BibTeX.

Sources are stored as printed citations, not split into authors and journal, so an entry carries
the record's title, year and identifiers (DOI, PMID, PMCID, registry IDs), with the printed
citation in its note: a reference manager can complete the rest from the DOI or PMID.
"""

import re

from django.http import StreamingHttpResponse

from studies.exports import base_url_of, table_rows
from studies.exports.tables import STUDIES
from studies.models import Study

RIS_TYPES = {
    Study.PublicationType.PEER_REVIEWED: "JOUR",
    Study.PublicationType.CASE_REPORT: "JOUR",
    Study.PublicationType.PREPRINT: "UNPB",
    Study.PublicationType.CONFERENCE_ABSTRACT: "ABST",
}
BIBTEX_TYPES = {
    Study.PublicationType.PEER_REVIEWED: "article",
    Study.PublicationType.CASE_REPORT: "article",
    Study.PublicationType.PREPRINT: "unpublished",
    Study.PublicationType.CONFERENCE_ABSTRACT: "inproceedings",
}
# Characters LaTeX would read as commands, comments or groups. BibTeX counts braces even after a
# backslash, so a lone \} would still close the field: braces are written as commands whose own
# braces balance.
BIBTEX_SPECIAL = re.compile(r"([\\{}%&#$_^~])")
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "^": r"\^{}",
    "~": r"\~{}",
}
# In an address or DOI (read verbatim by reference managers) the characters that would end the field
# are percent-encoded, which every resolver reads back as the same character.
BIBTEX_VERBATIM_ESCAPES = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(text):
    """The text on one line: a line break in a value would start a new RIS tag, so every line break
    (Unicode's included) and control character becomes a space."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", str(text)).split())


def notes(study):
    notes = []
    if study["citation"]:
        notes.append(f"Source: {one_line(study['citation'])}")
    if study["pmcid"]:
        notes.append(f"PMCID: {study['pmcid']}")
    if study["registry_ids"]:
        notes.append(f"Registry IDs: {study['registry_ids']}")
    return notes


def ris_record(study):
    fields = [
        ("TY", RIS_TYPES.get(study["publication_type"], "GEN")),
        ("ID", study["study_slug"]),
        ("TI", study["title"]),
        ("PY", study["year"]),
        ("DO", study["doi"]),
        ("AN", study["pmid"]),
        ("AB", study["summary"]),
        *(("N1", note) for note in notes(study)),
        ("UR", study["public_url"]),
        ("DB", "Hair-loss evidence tracker"),
    ]
    lines = [f"{tag}  - {one_line(value)}" for tag, value in fields if value not in (None, "")]
    return "\r\n".join([*lines, "ER  - ", "", ""])


def bibtex_text(text):
    return BIBTEX_SPECIAL.sub(lambda match: BIBTEX_ESCAPES.get(match[1], "\\" + match[1]), one_line(text))


def bibtex_verbatim(text):
    return "".join(BIBTEX_VERBATIM_ESCAPES.get(character, character) for character in one_line(text))


def bibtex_entry(study):
    fields = [
        # Double braces keep the title's capitals as written.
        ("title", "{" + bibtex_text(study["title"]) + "}"),
        ("year", study["year"] and str(study["year"])),
        ("doi", study["doi"] and bibtex_verbatim(study["doi"])),
        ("pmid", study["pmid"] and bibtex_text(study["pmid"])),
        ("url", bibtex_verbatim(study["public_url"])),
        ("abstract", bibtex_text(study["summary"])),
        ("note", bibtex_text(" ".join(note if note.endswith(".") else f"{note}." for note in notes(study)))),
    ]
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    entry_type = BIBTEX_TYPES.get(study["publication_type"], "misc")
    return f"@{entry_type}{{{study['study_slug']},\n{body}}}\n\n"


FORMATS = {
    "ris": (ris_record, "application/x-research-info-systems"),
    "bib": (bibtex_entry, "application/x-bibtex"),
}


def citation_response(studies, citation_format, request, name):
    write, content_type = FORMATS[citation_format]
    entries = (write(study) for study in table_rows(STUDIES, studies, base_url_of(request)))
    response = StreamingHttpResponse(entries, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{citation_format}"'
    return response
