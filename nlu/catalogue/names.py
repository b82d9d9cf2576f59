"""Readable names from the official descriptions: source typos fixed, notes cut, sentence case."""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlu.lazy_patterns import lazy_compile

__all__ = [
    "clean_description",
    "customer_name",
    "list_brackets",
    "split_notes",
    "strip_list_brackets",
]

# Typos in the source texts (nomenclatore and ICD-9-CM) where the right word is obvious.
_TYPOS: dict[str, str] = {
    "PRMA": "PRIMA",
    "MAXILLLO": "MAXILLO",
    "VALUTAZIONdi E": "VALUTAZIONE",
    "INTESTINUO": "INTESTINO",
    "FOTOGOAGULAZIONE": "FOTOCOAGULAZIONE",
    "CITOFLUORIETRICO": "CITOFLUORIMETRICO",
    "STEROTASSICA": "STEREOTASSICA",
    "AGOSPIRATO": "AGOASPIRATO",
    "FUNZIONALTA'": "FUNZIONALITA'",
    "RETROGADA": "RETROGRADA",
    "IMMUNODEFICENZA": "IMMUNODEFICIENZA",
    "Cryprtospridium": "Cryptosporidium",
    "colurale": "colturale",
    "superfice": "superficie",
    "lacrimari": "lacrimali",
    "scluso:": "Escluso:",
    "Politectomia": "Polipectomia",
    "congenlta": "congenita",
    "eletrtrodo": "elettrodo",
    "Dacoframmentazione": "Facoframmentazione",
    "internaarteria": "interna-arteria",
    "coIostomia": "colostomia",
    "Currettage": "Curettage",
    "nonspecificata": "non specificata",
    "tenuecrasso": "tenue-crasso",
    "arto interiore": "arto inferiore",
    "dl sostanza": "di sostanza",
    "vaso/i non coronarico/i": "vasi non coronarici",
    "a a 8": "a 8",
    "Kherr": "Kehr",
    "ECO(COLOR)DOPPLERGRAFIA": "ECOCOLORDOPPLERGRAFIA",
    "IND. DERIV.": "INDICI DERIVATI.",
    "VIT. B12": "VITAMINA B12",
    "ES. ": "ESAME ",
}
_TYPO_PATTERN = lazy_compile(
    r"(?<![A-Za-z])(?:"
    + "|".join(re.escape(typo) for typo in sorted(_TYPOS, key=len, reverse=True))
    + ")"
)
# "peroneale.Incluso", "Cantorrafia,Tarsorrafia": a missing space after punctuation.
_MISSING_SPACE = lazy_compile(r"(?<=[a-zà-ÿA-Z)\]])([.,]+)(?=[A-Z][a-z])")

# Where the official text goes on with notes rather than naming the service.
_NOTE = (
    r"Incluso|Inclusa|Inclusi|Incluse|Escluso|Esclusa|Esclusi|Escluse|Non associabile|"
    r"Non associabili|Erogabile|Prescrivibile|Escl\."
)
_GLUED_NOTE = lazy_compile(rf"(?<=[A-Za-zÀ-ÿ)\]])(?=(?:{_NOTE}|Per|Ciclo)\b)")
_NOTE_START = lazy_compile(rf"^\s*(?:{_NOTE}|Compreso|Compresa|Compresi|Comprese)\b", re.IGNORECASE)
# A sentence ends at a full stop followed by a space, unless the stop ends an abbreviation
# (ES., VIT., IND., max.) or belongs to a dotted acronym (I.U.D., S.N.P.).
_SENTENCE_END = lazy_compile(
    r"(?<![\s.(\[][A-Za-z])(?<![\s.(\[][A-Za-z]{2})(?<!\b[A-Z]{3})(?<!max)\.\s+"
    rf"|\s+(?=(?:{_NOTE})\b)"
)
_NEW_SENTENCE = lazy_compile(r"(?<=\.\s)([a-zà-ÿ])")
_QUOTED = lazy_compile(r"(?<![\w])'([^']{2,}?)'(?![\w])")
_ACCENT = lazy_compile(r"(?<=[A-Za-z])([AEIOUaeiou])'(?=[\s,.;:)\]]|$)")
_GRAVE = str.maketrans("AEIOUaeiou", "ÀÈÌÒÙàèìòù")
_SPACES = lazy_compile(r"\s+")
_SPACE_BEFORE_PUNCT = lazy_compile(r"\s+([,.;:)\]])")

# All-capital words that stay in capitals: abbreviations customers know in that form.
_ACRONYMS = frozenset(
    """
    RX TC RM ECG EEG EMG EGDS EGD MDC PET SPET DXA TSH PSA HIV HCV HBV HDV HEV HAV HPV EBV CMV
    DNA RNA PCR ORL OCT ATM ABI ADL IADL ICF BAL HRT GDX ERG EOG VEP LEP VEMPS MMSE PAI PAP
    CEA AFP HCG FSH LH GH PTH ACTH ADH LDL HDL ALT AST GOT GPT LDH CPK CK VES INR PT PTT APTT
    ANA ENA ANCA AMA ASMA LKMA TPO HLA MICA KIR TCR NK TAT IGRA STR FISH MGMT EGFR ALK HER2
    UV UVA UVB PUVA CPAP PRK LASEK LASIK PTK TTT YAG IMRT IGRT TBI TSEI TSEBI PEG PEJ ERCP ERC
    ERP TULIP LAVH ICSI IUI ET TESA IUD CAPD CCPD APD IPD HFR AFB MID PCA VADS NIPS ICE IVG
    OPT SAI NAS NIA ABO RH BNP ANP NSE SHBG AMH DHT PRL GNRH CYFRA TPHA TPPA VDRL RPR EIA CLIA
    VLCFA GALT ALA MLPA CGH SNP SNPS ICD CRT CRT-D CRT-P PTCA TAC RMN ECT UPD SEM TEM BOM EBUS
    MESH HTLV1 HTLV2 AT3 AT1R MS GC CT MR MRA CTA KT FDG SPE CCP
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Single capitals that are Italian words ("A riposo", "E/O") rather than names (vitamina D).
_SMALL_WORDS = frozenset(
    {
        "A",
        "E",
        "I",
        "O",
        "ED",
        "OD",
        "AD",
        "DA",
        "DI",
        "IL",
        "LA",
        "LE",
        "IN",
        "SU",
        "NO",
        "ORE",
        "CON",
        "PER",
        "DEL",
        "DEI",
        "DELLA",
        "ALTRO",
        "ALTRA",
        "SEDE",
        "DOPO",
        "MONO",
        "BASE",
        "ZONA",
        "UNA",
        "UNO",
    }
)
_LETTER_NAMES = frozenset(
    {"vitamina", "locus", "epatite", "proteina", "tipo", "classe", "fattore", "virus"}
)
_PROPER_NOUNS = {
    word.upper(): word
    for word in [
        "Holter",
        "Eustachio",
        "Oddi",
        "Bartolino",
        "Coombs",
        "Mantoux",
        "Gasser",
        "Widman",
        "Wright",
        "Ludwig",
        "Arnaud",
        "Zimmer",
        "Desault",
        "Hess",
        "Lancaster",
        "Clements",
        "Schirmer",
        "Helicobacter",
        "Wechsler",
        "Boston",
        "Aachen",
        "Baermann",
        "Caldwell-Luc",
        "Fallot",
        "Vater",
        "Kelly",
        "Marshall",
        "Duhamel",
        "Soave",
        "Mohs",
        "Giemsa",
        "Groshong",
        "Tenone",
        "Falloppio",
        "Langerhans",
        "Halo",
        "Mullerian",
        "Buck",
        "Levodopa",
        "pH",
    ]
}
_WORD = lazy_compile(r"[A-Za-zÀ-ÿ0-9]+(?:[-'][A-Za-zÀ-ÿ0-9]+)*")


def clean_description(text: str) -> str:
    """The official text with its obvious typos, glued notes, quotes and accents repaired."""
    if any(typo in text for typo in _TYPOS):
        text = _TYPO_PATTERN.sub(lambda match: _TYPOS[match.group(0)], text)
    text = _MISSING_SPACE.sub(lambda match: match.group(1)[0] + " ", text)
    text = _GLUED_NOTE.sub(". ", text)
    text = _QUOTED.sub(r"\1", text)
    text = _ACCENT.sub(lambda match: match.group(1).translate(_GRAVE), text)
    return _SPACES.sub(" ", text).strip()


def split_notes(text: str) -> tuple[list[str], list[str]]:
    """The sentences that name the service, and the notes that follow them."""
    sentences = [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]
    for position, sentence in enumerate(sentences):
        if position and _NOTE_START.match(sentence):
            return sentences[:position], sentences[position:]
    return sentences, []


def customer_name(sentences: Iterable[str], notes: Iterable[str] = ()) -> str:
    """A sentence-cased name from the naming sentences (and notes, when needed to tell apart)."""
    name = ". ".join(strip_list_brackets(sentence) for sentence in sentences)
    for note in notes:
        note = note.rstrip(". ")
        note = note[0].lower() + note[1:].replace(":", "", 1)
        name = f"{name} ({note})"
    name = _sentence_case(name)
    name = _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", name)).strip(" .,;:")
    for opening, closing in ("()", "[]"):  # a note cut mid-bracket leaves it open
        name += closing * max(0, name.count(opening) - name.count(closing))
    return name[:1].upper() + name[1:]


_LIST_BRACKETS = lazy_compile(r"\s*\[([^\]]*,[^\]]*)\]")


def strip_list_brackets(sentence: str) -> str:
    """Drop bracketed enumerations ("[polmoni, aorta, ...]"): short brackets like [EGDS] stay."""
    return _LIST_BRACKETS.sub("", sentence).rstrip(" .")


def list_brackets(sentence: str) -> list[str]:
    """The bracketed enumerations of ``sentence``: what the service covers, not its name."""
    return _LIST_BRACKETS.findall(sentence)


def _sentence_case(text: str) -> str:
    words = list(_WORD.finditer(text))
    pieces: list[str] = []
    last = 0
    previous = ""
    for match in words:
        word = match.group(0)
        pieces.append(text[last : match.start()])
        pieces.append(_case_word(word, text, match.start(), previous))
        previous = word.lower()
        last = match.end()
    pieces.append(text[last:])
    return _NEW_SENTENCE.sub(lambda match: match.group(1).upper(), "".join(pieces))


def _case_word(word: str, text: str, start: int, previous: str) -> str:
    if "-" in word:
        return "-".join(_case_word(part, text, start, previous) for part in word.split("-"))
    if not word.isupper():
        return word  # mixed case in the source (Hb, IgE, pH) is deliberate
    if word in _PROPER_NOUNS:
        return _PROPER_NOUNS[word]
    if word in _ACRONYMS or any(char.isdigit() for char in word):
        return word
    letters = word.replace("'", "")
    if len(letters) == 1:
        dotted = text[start + 1 : start + 2] == "."  # I.U.D.
        keep = word not in _SMALL_WORDS or previous in _LETTER_NAMES or dotted
        return word if keep else word.lower()
    if not any(char in "AEIOUÀÈÌÒÙ" for char in letters):
        return word  # no vowel: an abbreviation (TC, RM, PT)
    inside_brackets = text.rfind("(", 0, start) > text.rfind(")", 0, start) or text.rfind(
        "[", 0, start
    ) > text.rfind("]", 0, start)
    if inside_brackets and len(letters) <= 4 and word not in _SMALL_WORDS:
        return word
    return word.lower()
