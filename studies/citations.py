"""Citations of studies for reference managers, in RIS and BibTeX.

An entry cites the study's own source (its results article, else its registry record): authors,
article title, journal, year, volume, issue, pages and identifiers, each copied from the printed
citation and left out where it gives none; the printed citation itself is kept in the note. A study
known only through a review has no source of its own to cite: its entry is the tracker's record of
the study, with no DOI, and its note names the review it was read in ("Known only through: ...").
"""

import re

from django.conf import settings
from django.http import StreamingHttpResponse

from studies.exports import table_rows
from studies.exports.tables import STUDIES
from studies.models import Study
from studies.site import site_address

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
    review = study["known_only_through"]
    if review:
        identifiers = [f"{name}: {review[key]}" for name, key in (("DOI", "doi"), ("PMID", "pmid")) if review[key]]
        notes.append(" ".join([f"Known only through: {one_line(review['citation'] or 'a review')}", *identifiers]))
    if study["pmcid"]:
        notes.append(f"PMCID: {study['pmcid']}")
    if study["registry_ids"]:
        notes.append(f"Registry IDs: {study['registry_ids']}")
    return notes


ET_AL = re.compile(r"\s*\bet al\.?$")
# Citations in the Vancouver style print each author as a surname followed by initials: "Tasli PN".
SURNAME_AND_INITIALS = re.compile(r"^(?P<surname>.+?)\s+(?P<initials>[A-Z]{1,4})$")


def authors_of(printed):
    """The printed author list as names in 'Surname, P. N.' form (the form both RIS and BibTeX read
    without guessing which word is the surname), and whether the list ended in 'et al.'."""
    names = [one_line(name) for name in printed.split(",")]
    names = [name for name in names if name]
    more = bool(names) and bool(ET_AL.search(names[-1]))
    if more:
        names[-1] = ET_AL.sub("", names[-1])
        names = [name for name in names if name]
    inverted = []
    for name in names:
        match = SURNAME_AND_INITIALS.match(name)
        if match:
            name = f"{match['surname']}, {' '.join(initial + '.' for initial in match['initials'])}"
        inverted.append(name)
    return inverted, more


def page_range(pages):
    """First and last page of '4262-4271'; an article number such as '500' is its first page."""
    first, _, last = one_line(pages).replace("\u2013", "-").partition("-")
    return first.strip(), last.strip()


def cited(study):
    """The parts of the study's own citation, empty where unknown; the record's title and year stand in
    for an article's when the study has no source of its own (a registered trial, a study known only
    through a review)."""
    source = study["own_source"] or {}
    authors, more_authors = authors_of(source.get("authors") or "")
    first_page, last_page = page_range(source.get("pages") or "")
    return {
        "title": source.get("title") or study["title"],
        "authors": authors,
        "more_authors": more_authors,
        "journal": source.get("journal") or "",
        "year": source.get("year") or study["year"],
        "volume": source.get("volume") or "",
        "issue": source.get("issue") or "",
        "first_page": first_page,
        "last_page": last_page,
    }


def ris_record(study):
    parts = cited(study)
    fields = [
        ("TY", RIS_TYPES.get(study["publication_type"], "GEN")),
        ("ID", study["study_slug"]),
        ("TI", parts["title"]),
        *(("AU", author) for author in parts["authors"]),
        ("JO", parts["journal"]),
        ("T2", parts["journal"]),
        ("PY", parts["year"]),
        ("VL", parts["volume"]),
        ("IS", parts["issue"]),
        ("SP", parts["first_page"]),
        ("EP", parts["last_page"]),
        ("DO", study["doi"]),
        ("AN", study["pmid"]),
        ("AB", study["summary"]),
        *(("N1", note) for note in notes(study)),
        ("UR", study["public_url"]),
        ("DB", settings.SITE_NAME),
    ]
    lines = [f"{tag}  - {one_line(value)}" for tag, value in fields if value not in (None, "")]
    return "\r\n".join([*lines, "ER  - ", "", ""])


def bibtex_text(text):
    return BIBTEX_SPECIAL.sub(lambda match: BIBTEX_ESCAPES.get(match[1], "\\" + match[1]), one_line(text))


def bibtex_verbatim(text):
    return "".join(BIBTEX_VERBATIM_ESCAPES.get(character, character) for character in one_line(text))


def bibtex_name(name):
    # BibTeX splits the author list at every " and ": a name holding one is kept whole in braces.
    text = bibtex_text(name)
    return "{" + text + "}" if re.search(r"\sand\s", text, re.IGNORECASE) else text


def bibtex_entry(study):
    parts = cited(study)
    names = [bibtex_name(author) for author in parts["authors"]]
    if names and parts["more_authors"]:
        names.append("others")  # BibTeX's own spelling of "et al."
    pages = "--".join(bibtex_text(page) for page in (parts["first_page"], parts["last_page"]) if page)
    fields = [
        ("author", " and ".join(names)),
        # Double braces keep the title's capitals as written.
        ("title", "{" + bibtex_text(parts["title"]) + "}"),
        ("journal", bibtex_text(parts["journal"])),
        ("year", parts["year"] and str(parts["year"])),
        ("volume", bibtex_text(parts["volume"])),
        ("number", bibtex_text(parts["issue"])),
        ("pages", pages),
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
    entries = (write(study) for study in table_rows(STUDIES, studies, site_address(request)))
    response = StreamingHttpResponse(entries, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{citation_format}"'
    return response
