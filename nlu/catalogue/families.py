"""The families of services (the specialist branches) a text is closest to, for when no single
service is clear: "quella cosa del cuore" is cardiology."""

from __future__ import annotations

from dataclasses import dataclass

from nlu.catalogue.normalise import tokens

__all__ = ["FAMILIES", "Family", "closest_family"]


@dataclass(frozen=True, slots=True)
class Family:
    """A branch of services: its name with the article ("la cardiologia"), the starts of the
    words that point to it, and two services a prescription of it often names."""

    name: str
    stems: tuple[str, ...]
    examples: tuple[str, str]


FAMILIES: tuple[Family, ...] = (
    Family("la cardiologia", ("cuor", "cardi", "ecg", "holter", "pression", "aritmi", "infart",
                              "battit", "palpitaz", "ecocardio", "coronar", "valvol"),
           ("visita cardiologica", "elettrocardiogramma")),
    Family("l'oculistica", ("occhi", "occhio", "ocul", "vista", "retin", "cornea", "cataratt",
                            "glaucom", "miopi", "lenti", "diottr", "palpebr", "oftalm"),
           ("visita oculistica", "esame del fondo oculare")),
    Family("la dermatologia", ("pelle", "derma", "nei", "neo", "mappatura", "acne", "macchi",
                               "verruc", "psoriasi", "cute", "cutane"),
           ("visita dermatologica", "mappatura dei nei")),
    Family("l'ortopedia", ("ortoped", "ossa", "osso", "ginocch", "spall", "schien", "anca",
                           "menisc", "caviglia", "polso", "gomito", "frattur", "tendin", "legament",
                           "colonna", "lombar", "cervical", "artros", "distorsion", "piede"),
           ("visita ortopedica", "RM del ginocchio")),
    Family("la ginecologia", ("ginec", "uter", "ovai", "pap", "gravidanz", "incint", "mestru",
                              "ostetr", "vagin", "mammell", "seno", "mammograf", "senolog"),
           ("visita ginecologica", "ecografia transvaginale")),
    Family("l'odontoiatria", ("dent", "carie", "otturaz", "gengiv", "ortodon", "apparecchio",
                              "devitaliz", "igiene orale", "molar", "bocca"),
           ("visita odontoiatrica", "ablazione del tartaro")),
    Family("l'otorinolaringoiatria", ("orecchi", "naso", "gola", "udito", "otorin", "tonsill",
                                      "sinus", "voce", "vertigin", "acufen", "audiom"),
           ("visita otorinolaringoiatrica", "esame audiometrico")),
    Family("la gastroenterologia", ("stomac", "intestin", "colon", "gastr", "fegat", "digest",
                                    "reflusso", "pancia", "addom", "endoscop", "emorroid"),
           ("visita gastroenterologica", "gastroscopia")),
    Family("l'urologia", ("prostat", "vescic", "urolog", "urin", "rene", "reni", "renal",
                          "calcol", "testicol"),
           ("visita urologica", "ecografia dell'addome inferiore")),
    Family("la neurologia", ("neuro", "cervell", "nerv", "testa", "emicrani", "cefale", "memoria",
                             "epiless", "tremor", "elettromiograf", "encefal"),
           ("visita neurologica", "elettromiografia")),
    Family("gli esami di laboratorio", ("sangue", "analisi", "prelie", "urine", "emocrom",
                                        "colesterol", "glicemi", "tiroid", "ormon", "feci",
                                        "laborator", "vitamin"),
           ("emocromo", "colesterolo totale")),
    Family("la diagnostica per immagini", ("radiograf", "lastr", "rx", "rm", "risonanz", "tac",
                                           "ecograf", "eco", "tomograf", "scintigraf", "moc",
                                           "densitometr"),
           ("RM del ginocchio", "ecografia dell'addome completo")),
    Family("la fisioterapia", ("fisioter", "riabilit", "massag", "tecar", "laser", "ultrasuon",
                               "rieducaz", "kinesi", "osteopat", "ginnastica"),
           ("rieducazione motoria", "terapia con ultrasuoni")),
    Family("la psicologia e la psichiatria", ("psic", "ansia", "depress", "terapia di coppia",
                                              "insonnia", "stress", "panico"),
           ("prima visita psichiatrica", "colloquio psicologico clinico")),
    Family("la pneumologia", ("polmon", "respir", "spirometr", "tosse", "asma", "bronch",
                              "pneumo", "fiato", "apnee"),
           ("visita pneumologica", "spirometria")),
    Family("l'endocrinologia", ("endocrin", "diabet", "tiroide", "tiroidi", "ormoni",
                                "metabol", "peso", "obesit"),
           ("visita endocrinologica", "ecografia della tiroide")),
)


def closest_family(text: str) -> Family | None:
    """The family most words of `text` point to; None when none does."""
    words = [w for w in tokens(text) if w.isalpha()]
    if not words:
        return None
    joined = " ".join(words)
    best: tuple[int, int] | None = None
    for position, family in enumerate(FAMILIES):
        hits = sum(
            1 for stem in family.stems
            if (" " in stem and stem in joined)
            or any(w.startswith(stem) and (len(stem) >= 4 or w == stem) for w in words)
        )
        if hits and (best is None or hits > best[0]):
            best = (hits, position)
    return FAMILIES[best[1]] if best else None
