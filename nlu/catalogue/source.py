"""Reading the nomenclatore and the ICD-9-CM interventions from their CSV files."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from nlu.catalogue.models import AMBULATORIALE, RICOVERO, Entry
from nlu.catalogue.names import (
    clean_description,
    customer_name,
    list_brackets,
    split_notes,
    strip_list_brackets,
)

__all__ = ["ICD9CM_FILE", "NOMENCLATORE_FILE", "Record", "read_records"]

NOMENCLATORE_FILE = "nomenclatore_ambulatoriale.csv"
ICD9CM_FILE = "icd9cm_interventi.csv"


@dataclass(frozen=True, slots=True)
class Record:
    """An entry with its description split the way matching needs it."""

    entry: Entry
    naming: str  # the sentences that name the service (cleaned)
    notes: str  # the rest of the official text: inclusions, exclusions, lists


def read_records(data_dir: Path) -> list[Record]:
    """All outpatient services, then the codeable (leaf) ICD-9-CM interventions."""
    rows: list[tuple[str, str, str]] = []
    with (data_dir / NOMENCLATORE_FILE).open(encoding="utf-8", newline="") as file:
        rows.extend(
            (row["codice"], row["descrizione"], AMBULATORIALE) for row in csv.DictReader(file)
        )
    with (data_dir / ICD9CM_FILE).open(encoding="utf-8", newline="") as file:
        rows.extend(
            (row["codice"], row["descrizione"], RICOVERO)
            for row in csv.DictReader(file)
            if row["foglia"] == "S"
        )
    return _named(rows)


def _named(rows: list[tuple[str, str, str]]) -> list[Record]:
    """Names cut before the notes; where two names would read the same, notes tell them apart."""
    parts = [split_notes(clean_description(description)) for _, description, _ in rows]
    used_notes = [0] * len(rows)
    names = [customer_name(sentences) for sentences, _ in parts]
    while True:
        clashes: dict[tuple[str, str], list[int]] = defaultdict(list)
        for position, (name, (_, _, kind)) in enumerate(zip(names, rows, strict=True)):
            clashes[(kind, name.casefold())].append(position)
        extendable = [
            position
            for group in clashes.values()
            if len(group) > 1
            for position in group
            if used_notes[position] < len(parts[position][1])
        ]
        if not extendable:
            break
        for position in extendable:
            used_notes[position] += 1
            sentences, notes = parts[position]
            names[position] = customer_name(sentences, notes[: used_notes[position]])
    records = []
    for (code, description, kind), (sentences, notes), name in zip(rows, parts, names, strict=True):
        entry = Entry(code=code, name=name, kind=kind, description=description)
        naming = " . ".join(strip_list_brackets(sentence) for sentence in sentences)
        covered = [item for sentence in sentences for item in list_brackets(sentence)]
        records.append(Record(entry, naming, " . ".join([*covered, *notes])))
    return records
