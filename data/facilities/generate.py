"""Writes data/facilities/network.json, the affiliated facility network, from a fixed seed.

    .venv/bin/python data/facilities/generate.py                 # network.json from the copies here
    .venv/bin/python data/facilities/generate.py --copy-sources  # first refresh the copies
                                                                 # from /work/shared/data

The hospitals are real (the Ministry's registry of inpatient facilities); their street address,
phone, hours, services and doctors are invented, as is everything about the outpatient centres,
laboratories and Smart Clinics. See data/facilities/README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED = 20261124
ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "data" / "facilities"
PLACES = ROOT / "data" / "places"
SOURCES = HERE / "sources"
DEMO = ROOT / "data" / "demo" / "household.json"
OUTPUT = HERE / "network.json"
SHARED = Path("/work/shared/data")

# -- what each kind of facility provides (catalogue code patterns, as in guarantees) ----------

VISITS = ("89.7*", "89.01*", "89.13", "89.26*", "94.12.1", "94.19.1", "95.02")
ULTRASOUND = ("88.7*",)
XRAY = ("87*",)
CT = ("88.01*", "88.38*")  # 87.03, 87.41 (head, chest) are under 87*
MRI = ("88.9*",)
ECG = ("89.52*",)
HOLTER = ("89.50*",)
STRESS_TEST = ("89.41", "89.44*")
SPIROMETRY = ("89.37*",)
LAB = ("90*", "91*")

# ICD-9-CM procedure chapters (two-digit groups) for stays and surgery.
CHAPTERS: dict[str, tuple[int, ...]] = {
    "nervoso": tuple(range(1, 6)),
    "endocrino": (6, 7),
    "occhio": tuple(range(8, 17)),
    "orecchio": (18, 19, 20),
    "naso_bocca_faringe": tuple(range(21, 30)),
    "respiratorio": tuple(range(30, 35)),
    "cardiovascolare": tuple(range(35, 40)),
    "digerente": tuple(range(42, 55)),
    "urinario": tuple(range(55, 60)),
    "genitali_maschili": tuple(range(60, 65)),
    "genitali_femminili": tuple(range(65, 72)),
    "ostetricia": tuple(range(72, 76)),
    "muscoloscheletrico": tuple(range(76, 85)),
    "tegumenti": (85, 86),
}
# What surgery a chapter means, as a branca for the hospital's doctors.
CHAPTER_BRANCA = {
    "nervoso": "14",
    "endocrino": "09",
    "occhio": "16",
    "orecchio": "21",
    "naso_bocca_faringe": "21",
    "respiratorio": "22",
    "cardiovascolare": "02",
    "digerente": "03",
    "urinario": "25",
    "genitali_maschili": "25",
    "genitali_femminili": "20",
    "ostetricia": "20",
    "muscoloscheletrico": "19",
    "tegumenti": "04",
}
ALL_CHAPTERS = tuple(f"{d}*" for d in range(10))  # a general hospital: everything

# Registry types kept: private accredited / non-accredited clinics, private IRCCS and
# foundations, classified hospitals, the private university hospital (the insurer's partners).
HOSPITAL_TYPES = {"5.1", "5.2", "3.2", "3.3", "4", "2.3"}
GENERAL_TYPES = {"3.2", "3.3", "4", "2.3"}  # large enough to do every kind of surgery
NOT_SURGICAL = re.compile(
    r"RESIDENZ|GERIATR|PSICHIATR|NEUROPSICH|RIABILIT|HOSPICE|ALCOL", re.IGNORECASE
)
# Roma, Milano, Torino, Napoli: more of their many private hospitals.
HOSPITALS_PER_TOWN = {"058091": 14, "015146": 10, "001272": 8, "063049": 5}
HOSPITALS_PER_CAPOLUOGO = 2

# fmt: off
# -- the three demo cities, by district: real street names and rough district points ---------

# (district, CAP, lat, lon, streets)
DISTRICTS: dict[str, list[tuple[str, str, float, float, tuple[str, ...]]]] = {
    "058091": [  # Roma
        ("Prati", "00192", 41.9075, 12.4620, ("Via Crescenzio", "Viale Giulio Cesare", "Via Ottaviano")),
        ("Parioli", "00197", 41.9250, 12.4950, ("Viale Parioli", "Via Antonio Bertoloni")),
        ("EUR", "00144", 41.8330, 12.4700, ("Viale Europa", "Viale America", "Via Cristoforo Colombo")),
        ("San Giovanni", "00183", 41.8840, 12.5100, ("Via Appia Nuova", "Via La Spezia", "Via Taranto")),
        ("Monteverde", "00152", 41.8750, 12.4550, ("Circonvallazione Gianicolense", "Via di Donna Olimpia")),
        ("Nomentano", "00161", 41.9150, 12.5200, ("Via Nomentana", "Viale XXI Aprile", "Via Catania")),
        ("Trieste", "00198", 41.9250, 12.5100, ("Corso Trieste", "Viale Libia", "Via Tripoli")),
        ("Tuscolano", "00181", 41.8620, 12.5550, ("Via Tuscolana", "Via Appia Nuova", "Via Cesare Baronio")),
        ("Ostia", "00122", 41.7330, 12.2900, ("Via delle Baleniere", "Corso Duca di Genova")),
        ("Centro", "00186", 41.8990, 12.4730, ("Via del Corso", "Via Nazionale", "Via Cavour")),
        ("Appio Latino", "00179", 41.8690, 12.5200, ("Via Latina", "Via Appia Nuova")),
        ("Trastevere", "00153", 41.8850, 12.4700, ("Viale di Trastevere", "Via Portuense")),
    ],
    "015146": [  # Milano
        ("Brera", "20121", 45.4720, 9.1870, ("Via Solferino", "Corso Garibaldi", "Via Fatebenefratelli")),
        ("Centro", "20122", 45.4640, 9.1950, ("Corso di Porta Vittoria", "Via Larga", "Corso Europa")),
        ("Isola", "20159", 45.4870, 9.1900, ("Via Carlo Farini", "Viale Zara", "Via Borsieri")),
        ("Porta Romana", "20135", 45.4520, 9.2030, ("Corso Lodi", "Viale Umbria", "Via Crema")),
        ("Città Studi", "20133", 45.4770, 9.2270, ("Via Pascal", "Viale Romagna", "Piazza Leonardo da Vinci")),
        ("Loreto", "20127", 45.4860, 9.2160, ("Viale Monza", "Via Padova", "Viale Brianza")),
        ("Sempione", "20154", 45.4780, 9.1700, ("Corso Sempione", "Via Procaccini", "Via Canonica")),
        ("San Siro", "20148", 45.4770, 9.1230, ("Via Novara", "Piazzale Lotto", "Via Harar")),
        ("Porta Venezia", "20124", 45.4740, 9.2050, ("Corso Buenos Aires", "Viale Tunisia", "Via Vitruvio")),
        ("Navigli", "20143", 45.4520, 9.1750, ("Viale Gorizia", "Corso San Gottardo", "Via Lodovico il Moro")),
        ("Bicocca", "20126", 45.5180, 9.2120, ("Viale Sarca", "Viale Fulvio Testi")),
    ],
    "001272": [  # Torino
        ("Centro", "10121", 45.0700, 7.6820, ("Via Roma", "Corso Vittorio Emanuele II", "Via Pietro Micca")),
        ("Crocetta", "10129", 45.0560, 7.6650, ("Corso Duca degli Abruzzi", "Corso Einaudi", "Via Legnano")),
        ("Lingotto", "10127", 45.0300, 7.6630, ("Via Nizza", "Corso Unione Sovietica", "Via Passo Buole")),
        ("San Donato", "10144", 45.0800, 7.6650, ("Via San Donato", "Corso Regina Margherita")),
        ("Vanchiglia", "10124", 45.0700, 7.7000, ("Corso San Maurizio", "Via Vanchiglia")),
        ("Cenisia", "10139", 45.0700, 7.6500, ("Corso Francia", "Via Frejus", "Corso Trapani")),
        ("Santa Rita", "10137", 45.0450, 7.6400, ("Corso Orbassano", "Via Tripoli", "Corso Sebastopoli")),
        ("Aurora", "10152", 45.0830, 7.6850, ("Corso Giulio Cesare", "Corso Vercelli")),
        ("San Salvario", "10125", 45.0520, 7.6800, ("Via Madama Cristina", "Corso Marconi")),
    ],
}
# Smart Clinics: the three demo cities by district, then one in each of the next big cities.
SMART_CLINICS = [
    ("058091", "Prati"),
    ("058091", "EUR"),
    ("058091", "Nomentano"),
    ("015146", "Porta Romana"),
    ("015146", "Isola"),
    ("015146", "Città Studi"),
    ("001272", "Crocetta"),
    ("001272", "Aurora"),
    ("063049", None),  # Napoli
    ("048017", None),  # Firenze
    ("037006", None),  # Bologna
    ("010025", None),  # Genova
    ("082053", None),  # Palermo
    ("072006", None),  # Bari
    ("023091", None),  # Verona
]

STREETS = (
    "Via Roma", "Corso Italia", "Via Giuseppe Garibaldi", "Via Giuseppe Mazzini", "Via Cavour",
    "Viale della Repubblica", "Via Dante Alighieri", "Via XX Settembre", "Via Vittorio Veneto",
    "Piazza della Libertà", "Via Giacomo Matteotti", "Via Antonio Gramsci", "Via Nazionale",
    "Viale Europa", "Via Alessandro Manzoni", "Via dei Mille", "Via Trieste", "Via Trento",
    "Via Cesare Battisti", "Via IV Novembre", "Via Guglielmo Marconi", "Via della Stazione",
    "Via Aldo Moro", "Via Don Giovanni Minzoni", "Viale Giosuè Carducci", "Via Umberto I",
    "Corso Vittorio Emanuele II", "Via San Francesco d'Assisi", "Via Luigi Pirandello",
    "Via Enrico Fermi", "Viale dei Tigli", "Via Papa Giovanni XXIII",
)
CENTRE_NAMES = (
    "Salus", "Igea", "Esculapio", "Galeno", "Ippocrate", "Sanitas", "Minerva", "Vitalis",
    "Aurora", "Athena", "Delta Medica", "Nova Salus", "Iride", "Orione", "Vega", "Meridiana",
    "Zefiro", "Sirio", "Helios", "Polaris", "Asclepio", "Paracelso", "San Luca", "Santa Chiara",
    "San Marco", "Fisiomedica", "Medicina Futura", "Arcobaleno", "Primavera", "Andromeda",
)
POLYCLINIC_PREFIXES = ("Centro Medico", "Poliambulatorio", "Studio Medico Associato")
DIAGNOSTIC_PREFIXES = ("Centro Diagnostico", "Istituto Diagnostico", "Centro Radiologico")
LAB_PREFIXES = ("Laboratorio Analisi", "Laboratorio", "Punto Prelievi")

MALE = (
    "Marco", "Giuseppe", "Giovanni", "Antonio", "Francesco", "Luca", "Andrea", "Alessandro",
    "Roberto", "Stefano", "Paolo", "Massimo", "Fabio", "Davide", "Matteo", "Lorenzo", "Riccardo",
    "Claudio", "Enrico", "Simone", "Pietro", "Alberto", "Carlo", "Nicola",
)
FEMALE = (
    "Giulia", "Francesca", "Chiara", "Sara", "Valentina", "Laura", "Elena", "Alessandra",
    "Federica", "Silvia", "Paola", "Anna", "Maria", "Elisa", "Martina", "Cristina", "Roberta",
    "Simona", "Barbara", "Ilaria", "Monica", "Beatrice", "Caterina", "Marta",
)
SURNAMES = (
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
    "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo",
    "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso",
    "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli", "Vitale",
    "Lombardo", "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti", "Parisi", "Villa",
    "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso", "Valentini", "Messina",
    "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina", "Rizzi", "Monti",
    "Cattaneo", "Morelli", "Amato", "Silvestri", "Mazza", "Testa", "Grassi", "Pellegrino",
    "Carbone", "Giuliani", "Benedetti", "Barone", "Rossetti", "Caputo", "Montanari", "Guerra",
    "Palmieri", "Bernardi", "Martino", "Fiore", "De Rosa", "Ferretti", "Bellini", "Basile",
)
# Doctors' branche by facility profile (codes of branche_specialistiche.csv).
POLYCLINIC_BRANCHE = ("02", "06", "19", "16", "21", "20", "09", "15", "22", "25", "10", "05")
DIAGNOSTIC_BRANCHE = ("08", "08", "02", "07")
LAB_BRANCHE = ("11",)
SMART_BRANCHE = ("02", "19", "16", "20", "06", "21", "08")

# Real area codes of the bigger provinces; other provinces get a made-up 0xxx one.
AREA_CODES = {
    "RM": "06", "MI": "02", "TO": "011", "NA": "081", "FI": "055", "BO": "051", "GE": "010",
    "VE": "041", "PA": "091", "BA": "080", "CT": "095", "VR": "045", "PD": "049", "TS": "040",
    "BS": "030", "BG": "035", "CA": "070", "PG": "075", "AN": "071", "PE": "085", "MB": "039",
    "CO": "031", "MO": "059", "PI": "050", "SA": "089", "TA": "099", "ME": "090", "SS": "079",
}

# fmt: on

HOURS = {
    "ospedale": "Ricoveri tutti i giorni; ambulatori lun–ven 8:00–18:00, sab 8:00–13:00",
    "casa_di_cura": "Ricoveri tutti i giorni; ambulatori lun–ven 8:00–19:00",
    "polyclinic": "Lun–ven 8:00–19:30, sab 8:00–13:00",
    "diagnostic": "Lun–ven 7:30–20:00, sab 8:00–14:00",
    "laboratorio": "Prelievi lun–sab 7:00–10:30; ritiro referti lun–ven 11:00–18:00",
    "smart_clinic": "Lun–sab 8:00–20:00",
}


# -- sources ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comune:
    istat: str
    name: str
    province: str
    capoluogo: bool
    lat: float | None
    lon: float | None
    population: int
    caps: tuple[str, ...]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def copy_sources(shared: Path = SHARED) -> None:
    """The columns this project uses of the shared reference data (see data/SOURCES.md)."""
    comuni = _read(shared / "comuni.csv")
    _write(
        PLACES / "comuni.csv",
        [
            "codice_istat",
            "comune",
            "altra_lingua",
            "sigla_provincia",
            "regione",
            "capoluogo_provincia",
            "lat",
            "lon",
            "popolazione_2023",
        ],
        (
            [
                r["codice_istat"],
                r["comune_italiano"],
                r["comune_altra_lingua"],
                r["sigla_provincia"],
                r["regione"],
                r["capoluogo_provincia"],
                f"{float(r['lat']):.5f}" if r["lat"] else "",
                f"{float(r['lon']):.5f}" if r["lon"] else "",
                r["popolazione_2023"],
            ]
            for r in comuni
        ),
    )
    _write(
        PLACES / "comuni_cap.csv",
        ["cap", "codice_istat"],
        ([r["cap"], r["codice_istat"]] for r in _read(shared / "comuni_cap.csv")),
    )
    _write(
        SOURCES / "strutture_ricovero.csv",
        [
            "codice_struttura",
            "denominazione",
            "tipo_struttura_codice",
            "tipo_struttura",
            "codice_istat_comune",
        ],
        (
            [
                r["codice_struttura"],
                r["denominazione"],
                r["tipo_struttura_codice"],
                r["tipo_struttura"],
                r["codice_istat_comune"],
            ]
            for r in _read(shared / "strutture_ricovero.csv")
        ),
    )
    _write(
        SOURCES / "branche_specialistiche.csv",
        ["codice_branca", "descrizione"],
        (
            [r["codice_branca"], r["descrizione"]]
            for r in _read(shared / "branche_specialistiche.csv")
        ),
    )


def load_comuni(places: Path = PLACES) -> dict[str, Comune]:
    caps: dict[str, list[str]] = defaultdict(list)
    for r in _read(places / "comuni_cap.csv"):
        caps[r["codice_istat"]].append(r["cap"])
    return {
        r["codice_istat"]: Comune(
            istat=r["codice_istat"],
            name=r["comune"],
            province=r["sigla_provincia"],
            capoluogo=r["capoluogo_provincia"] == "1",
            lat=float(r["lat"]) if r["lat"] else None,
            lon=float(r["lon"]) if r["lon"] else None,
            population=int(r["popolazione_2023"] or 0),
            caps=tuple(sorted(caps[r["codice_istat"]])),
        )
        for r in _read(places / "comuni.csv")
    }


def specialty_names(sources: Path = SOURCES) -> dict[str, str]:
    """Branca code -> a short specialty name ("Radiologia diagnostica", not the group's)."""
    names = {}
    for r in _read(sources / "branche_specialistiche.csv"):
        parts = [p.strip() for p in r["descrizione"].split(" - ")]
        # 07 and 08 are "Diagnostica per immagini - <the specialty>".
        names[r["codice_branca"]] = parts[1] if r["codice_branca"] in ("07", "08") else parts[0]
    return names


# -- names ----------------------------------------------------------------------------------

# fmt: off
_SMALL = {"di", "del", "della", "dello", "dei", "delle", "e", "ed", "da", "dal", "la", "il",
          "lo", "le", "per", "in", "a", "al", "alla", "c."}
# fmt: on
_KEEP_UPPER = {"IRCCS", "FBF", "ACISMOM", "INRCA", "IEO", "CTO", "USL", "II", "III", "XXIII"}
_ABBREVIATIONS = [
    (r"\bC\.\s?DI\s?C\.\s*", "CASA DI CURA "),
    (r"\bC\.D\.C\.\s*", "CASA DI CURA "),
    (r"\bCDC\b\.?\s*", "CASA DI CURA "),
    (r"\bOSP\.\s*", "OSPEDALE "),
    (r"\bPOLICL\.\s*", "POLICLINICO "),
    (r"\bUNIV\.\s*", "UNIVERSITARIO "),
    (r"\bGEN\.\s*", "GENERALE "),
    (r"\bI\.R\.C\.C\.S\.", "IRCCS"),
    (r"\b(S\.?R\.?L\.?|S\.?P\.?A\.?|SOC\.?\s?COOP\.?)(?=\s|$)", ""),
]
_ACCENTED = {"A": "à", "E": "è", "I": "ì", "O": "ò", "U": "ù"}


def _capitalise(word: str) -> str:
    """'(CASA' -> '(Casa', "SANT'ANNA" -> "Sant'Anna", 'FATEBENEFRATELLI-ISOLA' -> '...-Isola'."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), word)


def hospital_name(raw: str, town: str, province: str) -> str | None:
    """'CASA DI CURA S.RITA DA CASCIA' -> 'Casa di Cura S. Rita da Cascia'; None if unreadable."""
    text = re.sub(r"(?<![A-Z])[`']([^`']+)[`']", r"\1", raw.strip())  # quoted parts: unquote
    text = re.sub(r"([AEIOU])[`'](?![A-Z])", lambda m: _ACCENTED[m.group(1)], text.upper())
    text = text.replace("`", "'")  # SANT`ANNA
    text = re.sub(rf"\s*-\s*({re.escape(town.upper())}|{province})$", "", text)
    for pattern, replacement in _ABBREVIATIONS:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    # Abbreviated words left ("FOND.IST.NEUROL.", "MED. E CH."): not a name to show.
    if re.search(r"\b(?!DOTT\.|PROF\.)[A-Z]{2,}\.", text):
        return None
    text = re.sub(r"\b([A-Z])\.(?=[A-Z]{2})", r"\1. ", text)  # "S.RITA" -> "S. RITA"
    words = text.split()
    out = []
    for i, word in enumerate(words):
        bare = word.strip(".,()")
        if bare in _KEEP_UPPER or re.fullmatch(r"([A-Z]\.){2,}", word):
            out.append(word)
        elif 0 < i < len(words) - 1 and word.lower() in _SMALL:
            out.append(word.lower())
        else:
            out.append(_capitalise(word))
    return " ".join(out).strip(" -")


# -- the network ----------------------------------------------------------------------------


class Builder:
    """Draws every random choice from one seeded generator, in a fixed order."""

    def __init__(self, seed: int, comuni: dict[str, Comune], specialties: dict[str, str]) -> None:
        self.rng = random.Random(seed)
        self.comuni = comuni
        self.specialties = specialties
        self.area_codes = dict(AREA_CODES)
        self.names_used: set[tuple[str, str]] = set()
        self.phones_used: set[str] = set()
        self.district_turns: dict[str, list[int]] = {}

    def phone(self, province: str) -> str:
        if province not in self.area_codes:
            # Made up, four digits, never 06x (Rome's): real ones are not in our sources.
            self.area_codes[province] = f"0{self.rng.choice([*range(300, 600), *range(700, 1000)])}"
        prefix = self.area_codes[province]
        while True:
            # Subscriber numbers never start with 0 or 1.
            digits = str(self.rng.randint(2, 9)) + "".join(
                str(self.rng.randint(0, 9)) for _ in range(9 - len(prefix))
            )
            grouped = digits if len(prefix) > 3 else f"{digits[:-4]} {digits[-4:]}"
            number = f"+39 {prefix} {grouped}"
            if number not in self.phones_used:
                self.phones_used.add(number)
                return number

    def point(self, lat: float, lon: float, radius_km: float) -> tuple[float, float]:
        """A point within `radius_km` of (lat, lon), rounded to about 10 m."""
        distance = radius_km * math.sqrt(self.rng.random())
        angle = self.rng.uniform(0, 2 * math.pi)
        dlat = distance * math.cos(angle) / 111.2
        dlon = distance * math.sin(angle) / (111.2 * math.cos(math.radians(lat)))
        return round(lat + dlat, 4), round(lon + dlon, 4)

    def _next_district(self, istat: str, districts: list[Any]) -> Any:
        """Districts in turns (each shuffled round), so every district has facilities."""
        turns = self.district_turns.setdefault(istat, [])
        if not turns:
            turns.extend(self.rng.sample(range(len(districts)), len(districts)))
        return districts[turns.pop()]

    def location(self, comune: Comune, district: str | None = None) -> dict[str, Any]:
        """Address, CAP and coordinates in the comune (in a district of the three big cities)."""
        districts = DISTRICTS.get(comune.istat)
        assert comune.lat is not None and comune.lon is not None
        if districts:
            row = next((d for d in districts if d[0] == district), None) or self._next_district(
                comune.istat, districts
            )
            _name, cap, lat, lon, streets = row
            street = self.rng.choice(streets)
            lat, lon = self.point(lat, lon, 0.8)
        else:
            cap = self.rng.choice(comune.caps) if comune.caps else ""
            street = self.rng.choice(STREETS)
            # Bigger comuni (more CAPs) spread wider around their point.
            lat, lon = self.point(comune.lat, comune.lon, min(1.0 + 0.15 * len(comune.caps), 8.0))
        return {
            "town": comune.name,
            "province": comune.province,
            "istat": comune.istat,
            "cap": cap,
            "address": f"{street} {self.rng.randint(1, 180)}",
            "lat": lat,
            "lon": lon,
        }

    def doctors(self, branche: tuple[str, ...], count: int) -> list[dict[str, str]]:
        people = []
        for _ in range(count):
            female = self.rng.random() < 0.5
            people.append(
                {
                    "title": "Dott.ssa" if female else "Dott.",
                    "first_name": self.rng.choice(FEMALE if female else MALE),
                    "last_name": self.rng.choice(SURNAMES),
                    "specialty": self.specialties[self.rng.choice(branche)],
                }
            )
        return people

    def unique_name(self, town: str, make: Any) -> str:
        for _ in range(50):
            name = make()
            if (name, town) not in self.names_used:
                self.names_used.add((name, town))
                return str(name)
        raise RuntimeError(f"no free name in {town}")

    def _maybe(self, probability: float, patterns: tuple[str, ...]) -> tuple[str, ...]:
        return patterns if self.rng.random() < probability else ()

    # -- facility kinds --

    def hospital(self, row: dict[str, str], required: tuple[str, ...] = ()) -> dict[str, Any]:
        comune = self.comuni[row["codice_istat_comune"]]
        general = row["tipo_struttura_codice"] in GENERAL_TYPES
        if general:
            chapters = list(CHAPTERS)
            ricovero = list(ALL_CHAPTERS)
        else:
            chapters = [c for c in ("digerente", "muscoloscheletrico") if self.rng.random() < 0.7]
            others = [c for c in CHAPTERS if c not in chapters]
            chapters += self.rng.sample(others, self.rng.randint(1, 4))
            chapters += [c for c in required if c not in chapters]
            chapters.sort(key=list(CHAPTERS).index)
            ricovero = [f"{g:02d}*" for c in chapters for g in CHAPTERS[c]]
        outpatient = (
            VISITS
            + ULTRASOUND
            + XRAY
            + ECG
            + (CT + MRI if general else self._maybe(0.6, CT + MRI))
            + (LAB if general else self._maybe(0.5, LAB))
        )
        branche = tuple(sorted({CHAPTER_BRANCA[c] for c in chapters} | {"01"}))
        kind = "casa_di_cura" if row["tipo_struttura_codice"].startswith("5") else "ospedale"
        return {
            "code": f"H{row['codice_struttura']}",
            "name": hospital_name(row["denominazione"], comune.name, comune.province),
            "kind": kind,
            "smart_clinic": False,
            **self.location(comune),
            "phone": self.phone(comune.province),
            "hours": HOURS[kind],
            "services": {"ambulatoriale": sorted(outpatient), "ricovero": ricovero},
            "doctors": self.doctors(branche, self.rng.randint(2, 4)),
            "source": f"MDS {row['codice_struttura']}",
        }

    def centre(self, code: str, comune: Comune, diagnostic: bool) -> dict[str, Any]:
        place = self.location(comune)
        district = next(
            (d[0] for d in DISTRICTS.get(comune.istat, []) if d[1] == place["cap"]), None
        )

        def make() -> str:
            prefix = self.rng.choice(DIAGNOSTIC_PREFIXES if diagnostic else POLYCLINIC_PREFIXES)
            name = f"{prefix} {self.rng.choice(CENTRE_NAMES)}"
            return f"{name} {district}" if district and self.rng.random() < 0.5 else name

        outpatient: tuple[str, ...]
        branche: tuple[str, ...]
        if diagnostic:
            outpatient = ULTRASOUND + XRAY + ECG + HOLTER + self._maybe(0.8, CT + MRI)
            branche, profile = DIAGNOSTIC_BRANCHE, "diagnostic"
        else:
            outpatient = (
                VISITS
                + ULTRASOUND
                + ECG
                + self._maybe(0.5, HOLTER + STRESS_TEST)
                + self._maybe(0.4, SPIROMETRY)
                + self._maybe(0.4, LAB)
                + self._maybe(0.3, XRAY)
            )
            branche, profile = POLYCLINIC_BRANCHE, "polyclinic"
        return {
            "code": code,
            "name": self.unique_name(comune.name, make),
            "kind": "centro_medico",
            "smart_clinic": False,
            **place,
            "phone": self.phone(comune.province),
            "hours": HOURS[profile],
            "services": {"ambulatoriale": sorted(outpatient)},
            "doctors": self.doctors(branche, self.rng.randint(1, 4)),
            "source": "inventata",
        }

    def laboratory(self, code: str, comune: Comune) -> dict[str, Any]:
        place = self.location(comune)
        return {
            "code": code,
            "name": self.unique_name(
                comune.name,
                lambda: f"{self.rng.choice(LAB_PREFIXES)} {self.rng.choice(CENTRE_NAMES)}",
            ),
            "kind": "laboratorio",
            "smart_clinic": False,
            **place,
            "phone": self.phone(comune.province),
            "hours": HOURS["laboratorio"],
            "services": {"ambulatoriale": sorted(LAB + self._maybe(0.3, ECG))},
            "doctors": self.doctors(LAB_BRANCHE, self.rng.randint(1, 2)),
            "source": "inventata",
        }

    def smart_clinic(self, code: str, comune: Comune, district: str | None) -> dict[str, Any]:
        name = f"Smart Clinic {comune.name}" + (f" {district}" if district else "")
        self.names_used.add((name, comune.name))
        outpatient = (
            VISITS + ULTRASOUND + XRAY + CT + MRI + ECG + HOLTER + STRESS_TEST + SPIROMETRY + LAB
        )
        return {
            "code": code,
            "name": name,
            "kind": "smart_clinic",
            "smart_clinic": True,
            **self.location(comune, district),
            "phone": self.phone(comune.province),
            "hours": HOURS["smart_clinic"],
            "services": {"ambulatoriale": sorted(outpatient)},
            "doctors": self.doctors(SMART_BRANCHE, self.rng.randint(3, 4)),
            "source": "inventata",
        }

    def attached(self, demo: dict[str, Any]) -> dict[str, Any]:
        """Services, contacts and doctors for one of the demo household's facilities."""
        comune = next(c for c in self.comuni.values() if c.name == demo["town"] and c.capoluogo)
        if demo["kind"] == "casa_di_cura":
            # The demo's stays: tonsillectomy (28.3), cholecystectomy (51.23).
            chapters = ["naso_bocca_faringe", "digerente", "muscoloscheletrico", "tegumenti"]
            chapters += self.rng.sample(
                [c for c in CHAPTERS if c not in chapters], self.rng.randint(1, 3)
            )
            chapters.sort(key=list(CHAPTERS).index)
            services = {
                "ambulatoriale": sorted(VISITS + ULTRASOUND + XRAY + ECG + CT + MRI),
                "ricovero": [f"{g:02d}*" for c in chapters for g in CHAPTERS[c]],
            }
            branche = tuple(sorted({CHAPTER_BRANCA[c] for c in chapters}))
            hours = HOURS["casa_di_cura"]
        elif "Diagnostico" in demo["name"]:
            services = {"ambulatoriale": sorted(ULTRASOUND + XRAY + ECG + HOLTER + CT + MRI)}
            branche, hours = DIAGNOSTIC_BRANCHE, HOURS["diagnostic"]
        else:  # the check-up (89.7, 89.52, blood tests) is booked at Salus Prati
            services = {"ambulatoriale": sorted(VISITS + ULTRASOUND + ECG + HOLTER + LAB)}
            branche, hours = POLYCLINIC_BRANCHE, HOURS["polyclinic"]
        return {
            "code": f"D-{demo['key']}"[:16],
            "name": demo["name"],
            "town": demo["town"],
            "istat": comune.istat,
            "phone": self.phone(comune.province),
            "hours": hours,
            "services": services,
            "doctors": self.doctors(branche, self.rng.randint(2, 4)),
        }


def _readable(row: dict[str, str], comuni: dict[str, Comune]) -> bool:
    comune = comuni[row["codice_istat_comune"]]
    return hospital_name(row["denominazione"], comune.name, comune.province) is not None


def _hospital_rows(
    rows: list[dict[str, str]], comuni: dict[str, Comune], skip: set[str], rng: random.Random
) -> Iterator[dict[str, str]]:
    """The registry's hospitals kept: per town a seeded sample of the eligible ones."""
    by_town: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        if (
            r["tipo_struttura_codice"] in HOSPITAL_TYPES
            and r["codice_struttura"] not in skip
            and len(r["denominazione"]) < 40  # the registry truncates at 40: skip cut names
            and not NOT_SURGICAL.search(r["denominazione"])
            and comuni[r["codice_istat_comune"]].capoluogo
            and comuni[r["codice_istat_comune"]].lat is not None
            and _readable(r, comuni)
        ):
            by_town[r["codice_istat_comune"]].append(r)
    for istat in sorted(by_town):
        eligible = sorted(by_town[istat], key=lambda r: r["codice_struttura"])
        count = min(len(eligible), HOSPITALS_PER_TOWN.get(istat, HOSPITALS_PER_CAPOLUOGO))
        yield from sorted(rng.sample(eligible, count), key=lambda r: r["codice_struttura"])


def build(
    seed: int = SEED, places: Path = PLACES, sources: Path = SOURCES, demo: Path = DEMO
) -> dict[str, Any]:
    """The whole network as a JSON-ready dict; the same seed and inputs give the same dict."""
    comuni = load_comuni(places)
    builder = Builder(seed, comuni, specialty_names(sources))
    demo_facilities = json.loads(demo.read_text(encoding="utf-8"))["facilities"]
    demo_registry = {f["source"].split()[-1] for f in demo_facilities if f["source"] != "fittizia"}
    for f in demo_facilities:
        builder.names_used.add((f["name"], f["town"]))

    facilities: list[dict[str, Any]] = []
    registry = _read(sources / "strutture_ricovero.csv")
    for row in _hospital_rows(registry, comuni, demo_registry, builder.rng):
        facilities.append(builder.hospital(row))

    # Outpatient centres and laboratories in every capoluogo and in the other big comuni.
    towns = sorted(
        (
            c
            for c in comuni.values()
            if c.lat is not None and (c.capoluogo or c.population > 80_000)
        ),
        key=lambda c: c.istat,
    )
    centres = labs = 0
    for comune in towns:
        count = 1 + comune.population // 200_000 if comune.capoluogo else 1
        for _ in range(count):
            centres += 1
            diagnostic = builder.rng.random() < 0.45
            facilities.append(builder.centre(f"C{centres:04d}", comune, diagnostic))
        lab_count = (comune.population > 60_000) + comune.population // 500_000
        for _ in range(lab_count if comune.capoluogo else 0):
            labs += 1
            facilities.append(builder.laboratory(f"L{labs:04d}", comune))

    for i, (istat, district) in enumerate(SMART_CLINICS, start=1):
        facilities.append(builder.smart_clinic(f"S{i:03d}", comuni[istat], district))

    attached = [builder.attached(f) for f in demo_facilities]
    return {
        "about": "Rete di strutture convenzionate dimostrativa: vedi data/facilities/README.md",
        "seed": seed,
        "facilities": facilities,
        "attached": attached,
    }


def render(network: dict[str, Any]) -> str:
    """JSON with one facility per line: small, and readable in a diff."""
    head = {k: v for k, v in network.items() if k not in ("facilities", "attached")}
    lines = ["{"]
    lines += [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    for key in ("facilities", "attached"):
        items = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in network[key]]
        lines.append(f'  "{key}": [')
        lines += [f"    {item}," for item in items[:-1]] + [f"    {items[-1]}"]
        lines.append("  ]," if key == "facilities" else "  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--copy-sources",
        action="store_true",
        help="refresh data/places and data/facilities/sources from --shared",
    )
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if args.copy_sources:
        copy_sources(args.shared)
    network = build(args.seed)
    args.output.write_text(render(network), encoding="utf-8")
    kinds: dict[str, int] = defaultdict(int)
    for f in network["facilities"]:
        kinds[f["kind"]] += 1
    print(
        f"{args.output}: {len(network['facilities'])} strutture {dict(sorted(kinds.items()))}, "
        f"{len(network['attached'])} della demo completate"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
