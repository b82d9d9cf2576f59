"""Italian towns and CAPs: "Milano", "S. Giovanni Rotondo" or "20121" to a comune with a point."""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

__all__ = ["PLACES_DIR", "Place", "distance_km", "normalise", "place_by_istat", "resolve_place"]

PLACES_DIR = Path(__file__).resolve().parent.parent / "data" / "places"
EARTH_RADIUS_KM = 6371.0
# Exonyms people type: the ISTAT list has only the Italian (and German, French...) names.
_EXONYMS = {
    "rome": "roma",
    "milan": "milano",
    "turin": "torino",
    "naples": "napoli",
    "florence": "firenze",
    "venice": "venezia",
    "genoa": "genova",
    "padua": "padova",
    "mantua": "mantova",
    "leghorn": "livorno",
    "syracuse": "siracusa",
    # Everyday short forms of official names.
    "reggio emilia": "reggio nell emilia",
    "aquila": "l aquila",
    "reggio calabria": "reggio di calabria",
}
# Words around a town name that are not part of it ("milano centro", "comune di Roma").
_NOISE = re.compile(
    r"^(?:a|in|di|da|presso|vicino a|zona|comune di|citta di|provincia di)\s+"
    r"|\s+(?:centro|citta|centro citta|zona centro|provincia|e provincia|e dintorni)$"
)
# "San", "Santo", "Santa", "Sant'", "S." all become "s": "S. Giovanni" = "San Giovanni".
_SAINT = re.compile(r"\b(?:san|santo|santa|sant|ss|s)\b")
_FUZZY_CUTOFF = 88


@dataclass(frozen=True, slots=True)
class Place:
    """A comune, with the point used for distances (inside the comune, not its centre)."""

    istat: str
    name: str
    province: str  # sigla, "RM"
    region: str
    lat: float | None
    lon: float | None
    cap: str | None = None  # the CAP asked for, when the place came from one


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: "Forlì" -> "forli"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _key(text: str) -> str:
    return _SAINT.sub("s", normalise(text))


@dataclass(frozen=True, slots=True)
class _Index:
    by_istat: dict[str, Place]
    by_key: dict[str, list[Place]]  # most populous first
    by_cap: dict[str, list[Place]]  # most populous first
    keys: list[str]


@cache
def _index(root: Path = PLACES_DIR) -> _Index:
    by_istat: dict[str, Place] = {}
    population: dict[str, int] = {}
    by_key: dict[str, list[Place]] = defaultdict(list)
    with (root / "comuni.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            place = Place(
                istat=r["codice_istat"],
                name=r["comune"],
                province=r["sigla_provincia"],
                region=r["regione"],
                lat=float(r["lat"]) if r["lat"] else None,
                lon=float(r["lon"]) if r["lon"] else None,
            )
            by_istat[place.istat] = place
            population[place.istat] = int(r["popolazione_2023"] or 0)
            for name in (r["comune"], r["altra_lingua"]):
                if name:
                    by_key[_key(name)].append(place)
    by_cap: dict[str, list[Place]] = defaultdict(list)
    with (root / "comuni_cap.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["codice_istat"] in by_istat:
                by_cap[r["cap"]].append(by_istat[r["codice_istat"]])
    # Homonyms (Samone TO/TN) and shared CAPs: the bigger comune is the likelier meaning.
    for places in (*by_key.values(), *by_cap.values()):
        places.sort(key=lambda p: -population[p.istat])
    return _Index(dict(by_istat), dict(by_key), dict(by_cap), sorted(by_key))


def place_by_istat(istat: str) -> Place | None:
    return _index().by_istat.get(istat)


def _by_name(key: str, province: str | None) -> Place | None:
    index = _index()
    candidates = index.by_key.get(_EXONYMS.get(key, key), [])
    if province:
        candidates = [p for p in candidates if p.province == province]
    if candidates:
        return candidates[0]
    if len(key) < 4:
        return None
    found = process.extractOne(key, index.keys, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
    return _by_name(found[0], province) if found else None


def resolve_place(text: str) -> Place | None:
    """The comune meant by a town name or a CAP, or None.

    Accents, case, "S."/"San", a province in brackets ("Samone (TN)"), words like "centro"
    and small typos are tolerated; a CAP shared by several comuni gives the most populous.
    """
    text = text.strip()
    cap = re.fullmatch(r"\d{5}", text)
    if cap:
        places = _index().by_cap.get(text)
        if not places:
            return None
        first = places[0]
        return Place(
            first.istat, first.name, first.province, first.region, first.lat, first.lon, cap=text
        )
    province = None
    bracket = re.search(r"\(\s*([A-Za-z]{2})\s*\)\s*$", text)
    if bracket:
        province = bracket.group(1).upper()
        text = text[: bracket.start()]
    key = _key(text)
    if not key:
        return None
    found = _by_name(key, province)
    if found is None:
        stripped = _NOISE.sub("", normalise(text))
        if stripped != normalise(text):
            found = _by_name(_SAINT.sub("s", stripped), province)
    return found


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
