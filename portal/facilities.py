"""Searching the affiliated network: pure functions over facilities and doctors already loaded."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from portal.models import Doctor, Facility, FacilityMatch
from portal.places import Place, distance_km, normalise, resolve_place

__all__ = [
    "Candidate",
    "doctor_query",
    "doctors_by_facility",
    "in_town",
    "matching_doctors",
    "name_matches",
    "origin_for_cap",
    "provides",
    "rank",
    "search",
    "town_filter",
]

# Titles and filler in front of a doctor's name: "dott.ssa Bianchi", "con il dottor Rossi".
_TITLES = r"dott ?ssa|dottoressa|dottore|dottor|dott|dssa|dr ssa|dr|professoressa|professore|prof ssa|prof"
_FILLER = re.compile(rf"^(?:(?:{_TITLES}|medico|il|la|lo|dal|dalla|dai|con)\s+)+")
_ONLY_TITLES = re.compile(rf"^(?:(?:{_TITLES})\s+)+")  # keeps "la" of "dott. La Rosa"
_DOCTOR_CUTOFF = 85
_NAME_CUTOFF = 85


@dataclass(frozen=True, slots=True)
class Candidate:
    facility: Facility
    doctors: tuple[Doctor, ...]


def provides(patterns: Iterable[str], code: str) -> bool:
    """Whether a code is one of `patterns` (exact codes or "prefix*"), as guarantees cover."""
    return any(code.startswith(p[:-1]) if p.endswith("*") else code == p for p in patterns)


def doctor_query(text: str) -> str:
    """The name in "dott.ssa Bianchi": normalised, without titles."""
    return _FILLER.sub("", normalise(text))


def matching_doctors(text: str, doctors: Iterable[Doctor]) -> tuple[Doctor, ...]:
    """Doctors whose surname, or first name and surname in either order, match `text`.

    Tolerates a typo or two ("Rosi" finds Rossi); a first name alone matches nobody.
    """
    queries = {q for q in (doctor_query(text), _ONLY_TITLES.sub("", normalise(text))) if len(q) > 2}
    if not queries:
        return ()
    found = []
    for d in doctors:
        surname = normalise(d.last_name)
        full = normalise(f"{d.first_name} {d.last_name}")
        score = max(max(fuzz.ratio(q, surname), fuzz.token_sort_ratio(q, full)) for q in queries)
        if score >= _DOCTOR_CUTOFF:
            found.append(d)
    return tuple(found)


def in_town(facility: Facility, place: Place | None, town: str) -> bool:
    """Whether the facility is in the comune meant (by ISTAT code, else by name)."""
    if place is not None and facility.istat:
        return facility.istat == place.istat
    wanted = normalise(place.name if place is not None else town)
    return normalise(facility.town) == wanted


def origin_for_cap(place: Place, facilities: Sequence[Facility]) -> tuple[float, float] | None:
    """Where a CAP is: in a city with many CAPs, the middle of the network's facilities with
    that CAP (the comune's point is far from most of its CAPs); else the comune's point."""
    same = [f for f in facilities if f.cap == place.cap and f.lat is not None and f.lon is not None]
    if same and place.istat in {f.istat for f in same}:
        return (
            sum(f.lat for f in same if f.lat is not None) / len(same),
            sum(f.lon for f in same if f.lon is not None) / len(same),
        )
    if place.lat is None or place.lon is None:
        return None
    return (place.lat, place.lon)


def _distance(facility: Facility, origin: tuple[float, float] | None) -> float | None:
    if origin is None or facility.lat is None or facility.lon is None:
        return None
    return round(distance_km(origin, (facility.lat, facility.lon)), 1)


def rank(
    candidates: Sequence[Candidate],
    *,
    origin: tuple[float, float] | None,
    smart_first: bool,
    limit: int,
) -> list[FacilityMatch]:
    """Nearest first (no origin: by town and name); Smart Clinics first when `smart_first`,
    otherwise only among equals. Facilities without coordinates come last."""
    far = float("inf")
    matches = [
        FacilityMatch(c.facility, _distance(c.facility, origin), c.doctors) for c in candidates
    ]

    def key(m: FacilityMatch) -> tuple[object, ...]:
        distance = far if m.distance_km is None else m.distance_km
        smart = not m.facility.smart_clinic
        tail = (normalise(m.facility.town), normalise(m.facility.name), m.facility.id)
        return (smart, distance, *tail) if smart_first else (distance, smart, *tail)

    return sorted(matches, key=key)[: max(limit, 0)]


def name_matches(text: str, facilities: Iterable[Facility], limit: int = 5) -> list[Facility]:
    """Facilities whose name matches `text`, best first: "quisisana", "Aurelia Hopsital"."""
    query = normalise(text)
    if len(query) < 3:
        return []
    scored = []
    for f in facilities:
        name = normalise(f.name)
        score = fuzz.WRatio(query, name)
        if score >= _NAME_CUTOFF:
            # Among equals, the name closest in full ("salus" -> "Salus", not "Salus Prati").
            scored.append((-score, -fuzz.ratio(query, name), name, f.id, f))
    return [s[-1] for s in sorted(scored, key=lambda s: s[:4])][:limit]


def town_filter(facilities: Sequence[Facility], town: str) -> tuple[Place | None, list[Facility]]:
    """The place meant by `town` and the facilities in it."""
    place = resolve_place(town)
    return place, [f for f in facilities if in_town(f, place, town)]


def doctors_by_facility(doctors: Iterable[Doctor]) -> Mapping[int, tuple[Doctor, ...]]:
    grouped: dict[int, list[Doctor]] = {}
    for d in doctors:
        grouped.setdefault(d.facility_id, []).append(d)
    return {k: tuple(v) for k, v in grouped.items()}


def search(
    facilities: Sequence[Facility],
    doctors: Iterable[Doctor],
    *,
    town: str | None = None,
    cap: str | None = None,
    doctor: str | None = None,
    near: tuple[float, float] | None = None,
    limit: int = 8,
    cap_area: Sequence[Facility] | None = None,
) -> list[FacilityMatch]:
    """Facilities (already filtered by service) in a town, near a CAP or a point, with a doctor.

    - `near`: nearest to that point first, with distances.
    - `cap`: nearest to that CAP first (an unknown CAP finds nothing); `cap_area`, the
      network's facilities with that CAP whatever they provide, locates it (default: `facilities`).
    - `town`: the town's facilities, Smart Clinics first, then by distance from the town's
      point; a town without any: the nearest to it, so their `town` differs from the one asked.
      A town that is not a comune is matched against the facilities' town names only.
    - `doctor`: only facilities with a matching doctor; the match carries those doctors
      (otherwise all the facility's doctors).
    """
    staff = doctors_by_facility(doctors)
    pool = list(facilities)
    origin = near
    smart_first = False
    if cap is not None:
        place = resolve_place(cap)
        if place is None:
            return []
        origin = origin or origin_for_cap(place, pool if cap_area is None else cap_area)
    if town is not None:
        place, local = town_filter(pool, town)
        if local:
            pool, smart_first = local, True
        elif place is None:
            return []
        if origin is None and place is not None and place.lat is not None and place.lon is not None:
            origin = (place.lat, place.lon)
    candidates = []
    for f in pool:
        people = staff.get(f.id, ())
        if doctor is not None:
            people = matching_doctors(doctor, people)
            if not people:
                continue
        candidates.append(Candidate(f, people))
    return rank(candidates, origin=origin, smart_first=smart_first, limit=limit)
