"""Makes the receipts development set: realistic Italian medical receipts and invoices, as
text-layer PDFs, scanned PDFs and phone photos, with a truth.jsonl of what each one says.

    .venv/bin/python tests/nlu/receipts/make_receipts.py OUT_DIR [--seed N] [--count N]

Every document is drawn at random (issuer, layout, wording, fonts, date and number formats,
subtotals, marca da bollo, acconti, VAT lines, the doctor's codice fiscale next to the partita
IVA, thermal pharmacy receipts, two pages) and then rendered one way; a different seed gives an
unseen set of the same kind. Fonts: DejaVu from the system (Debian's fonts-dejavu-core):
Sans, Serif, Condensed and Mono; nothing is shipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import random
import string
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from stdnum import luhn
from stdnum.it import codicefiscale

MONTHS = ("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
          "novembre dicembre").split()
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FONT_FAMILIES = {
    # name: (regular, bold) file names under DEJAVU
    "sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "condensed": ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    "mono": ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
}
SURNAMES = ["Rossi", "Bianchi", "Ferrari", "Esposito", "Romano", "Colombo", "Ricci", "Marino",
            "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano",
            "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani",
            "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile",
            "Martinelli", "Vitale", "Serra", "Coppola", "De Santis", "D'Angelo", "Parisi"]
MALE = "Marco Luca Giuseppe Andrea Paolo Francesco Stefano Alberto Giorgio Roberto Davide".split()
FEMALE = "Anna Laura Giulia Chiara Francesca Elena Sara Maria Paola Silvia Federica Marta".split()
PLACES = {"Roma": "H501", "Milano": "F205", "Torino": "L219", "Napoli": "F839",
          "Bologna": "A944", "Firenze": "D612", "Genova": "D969", "Bari": "A662",
          "Padova": "G224", "Verona": "L781", "Brescia": "B157", "Parma": "G337"}
STREETS = ("Via Roma", "Corso Italia", "Via Garibaldi", "Viale Mazzini", "Via Verdi",
           "Piazza della Repubblica", "Via Cavour", "Via Dante Alighieri", "Viale dei Mille")
SPECIALTIES = {
    "oculistica": ["Visita oculistica", "Esame del fondo oculare", "Tonometria"],
    "cardiologica": ["Visita cardiologica", "Elettrocardiogramma (ECG)", "Ecocardiogramma"],
    "dermatologica": ["Visita dermatologica", "Mappatura nei", "Crioterapia"],
    "ortopedica": ["Visita ortopedica", "Infiltrazione articolare", "Controllo post operatorio"],
    "ginecologica": ["Visita ginecologica", "Pap test", "Ecografia transvaginale"],
    "odontoiatrica": ["Igiene dentale professionale", "Otturazione", "Visita odontoiatrica"],
}
DIAGNOSTIC = ["Ecografia addome completo", "RX torace due proiezioni", "Risonanza magnetica "
              "ginocchio", "TAC encefalo senza mdc", "Ecocolordoppler tronchi sovraortici",
              "Mammografia bilaterale", "Emocromo completo", "Densitometria ossea (MOC)",
              "Elettromiografia arti inferiori", "Holter cardiaco 24 ore"]
PHARMACY = ["TACHIPIRINA 500MG 20CPR", "MOMENT 200MG 12CPR", "AUGMENTIN 875MG 12CPR",
            "ENTEROGERMINA 10FL", "BENTELAN 1MG 10CPR", "OKI 80MG 12BUST", "VOLTAREN EMULGEL",
            "FLUIFORT SCIROPPO", "CEROTTI MEDICATI", "TICKET SSN RICETTA", "ZIRTEC 10MG 20CPR",
            "SPIDIFEN 400MG 12BUST", "ASPIRINA C 10CPR", "NUROFEN 200MG 24CPR"]


# --- what the document says ---------------------------------------------------------------


def vat_number(rng: random.Random) -> str:
    body = "".join(rng.choice(string.digits) for _ in range(7)) + f"{rng.randint(1, 100):03d}"
    return body + luhn.calc_check_digit(body)


def _consonants_vowels(name: str) -> tuple[str, str]:
    letters = [c for c in name.upper() if c.isalpha()]
    return ("".join(c for c in letters if c not in "AEIOU"),
            "".join(c for c in letters if c in "AEIOU"))


def tax_code(surname: str, name: str, born: dt.date, female: bool, place: str) -> str:
    cons, vows = _consonants_vowels(surname)
    part1 = (cons + vows + "XXX")[:3]
    cons, vows = _consonants_vowels(name)
    if len(cons) > 3:
        cons = cons[0] + cons[2] + cons[3]
    part2 = (cons + vows + "XXX")[:3]
    day = born.day + (40 if female else 0)
    body = f"{part1}{part2}{born.year % 100:02d}{'ABCDEHLMPRST'[born.month - 1]}{day:02d}{place}"
    return body + codicefiscale.calc_check_digit(body)


@dataclass
class Person:
    name: str
    surname: str
    female: bool
    born: dt.date
    place: str

    @property
    def tax_code(self) -> str:
        return tax_code(self.surname, self.name, self.born, self.female, PLACES[self.place])

    @property
    def full(self) -> str:
        return f"{self.name} {self.surname}"


def person(rng: random.Random, adult: bool = True) -> Person:
    female = rng.random() < 0.5
    year = rng.randint(1945, 2000) if adult else rng.randint(2008, 2020)
    born = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    return Person(rng.choice(FEMALE if female else MALE), rng.choice(SURNAMES), female, born,
                  rng.choice(list(PLACES)))


@dataclass
class Document:
    """One receipt's content: the truth and the rows to render."""

    kind: str
    date: dt.date
    total: Decimal
    number: str
    issuer: str
    vat: str
    patient_cf: str | None
    lines: list[tuple[str, Decimal]]
    # Rendered rows: each a list of (x in mm from the left margin, text, bold, size, align)
    pages: list[list[list[tuple[float, str, bool, float, str]]]] = field(default_factory=list)
    width_mm: float = 190.0


def euro(value: Decimal, rng: random.Random, style: str) -> str:
    text = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    if style == "symbol":
        return f"€ {text}"
    if style == "symbol_tight":
        return f"€{text}"
    if style == "eur":
        return f"EUR {text}"
    if style == "after":
        return f"{text} €"
    return text


def date_text(day: dt.date, style: str) -> str:
    if style == "slash":
        return day.strftime("%d/%m/%Y")
    if style == "dash2":
        return day.strftime("%d-%m-%y")
    if style == "dash4":
        return day.strftime("%d-%m-%Y")
    if style == "dot":
        return day.strftime("%d.%m.%Y")
    if style == "words":
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return day.strftime("%d/%m/%y")


class Writer:
    """Lays out rows on pages of a document."""

    def __init__(self, doc: Document, rng: random.Random, size: float, rows_per_page: int = 60):
        self.doc, self.rng, self.size = doc, rng, size
        self.rows_per_page = rows_per_page
        doc.pages = [[]]

    def row(self, *items: tuple[float, str] | tuple[float, str, str], bold: bool = False,
            size: float | None = None) -> None:
        cells = []
        for item in items:
            x, text = item[0], item[1]
            align = item[2] if len(item) > 2 else "left"
            cells.append((x, text, bold, size or self.size, align))
        self.doc.pages[-1].append(cells)

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.doc.pages[-1].append([])

    def new_page(self) -> None:
        self.doc.pages.append([])


def _services(rng: random.Random, kind: str) -> list[tuple[str, Decimal]]:
    if kind == "diagnostic":
        names = rng.sample(DIAGNOSTIC, rng.randint(1, 3))
        return [(n, Decimal(rng.randint(35, 260))) for n in names]
    specialty = rng.choice(list(SPECIALTIES))
    names = rng.sample(SPECIALTIES[specialty], rng.choice([1, 1, 1, 2]))
    return [(n, Decimal(rng.choice([60, 70, 80, 85, 90, 100, 110, 120, 130, 150, 180])))
            for n in names]


def _number(rng: random.Random, year: int) -> tuple[str, str]:
    """(the number as printed, its label)."""
    n = rng.randint(1, 999)
    style = rng.choice(["slash_year", "plain", "year_slash", "prefixed", "letter"])
    number = {
        "slash_year": f"{n}/{year}",
        "plain": str(n),
        "year_slash": f"{year}/{n:05d}",
        "prefixed": f"FT{year % 100:02d}-{n:04d}",
        "letter": f"{n}/{rng.choice('ABEP')}",
    }[style]
    label = rng.choice(["Fattura n.", "Fattura n°", "Fattura nr.", "FATTURA N.", "Fattura numero",
                        "Ricevuta n.", "Ricevuta nr.", "RICEVUTA SANITARIA N.",
                        "Fattura sanitaria n."])
    return number, label


def invoice(rng: random.Random, kind: str, two_pages: bool = False) -> Document:
    today = dt.date(2026, 11, 30)
    day = today - dt.timedelta(days=rng.randint(1, 700))
    patient = person(rng, adult=rng.random() < 0.8)
    vat = vat_number(rng)
    number, label = _number(rng, day.year)
    if kind == "studio":
        doctor = person(rng)
        title = "Dott.ssa" if doctor.female else "Dott."
        issuer = rng.choice([f"Studio Medico {title} {doctor.full}",
                             f"{title} {doctor.full}",
                             f"Studio {rng.choice(['Oculistico', 'Cardiologico', 'Dentistico', 'Medico Associato'])} {doctor.surname}"])
        doctor_cf = doctor.tax_code if rng.random() < 0.6 else None
    else:
        issuer = rng.choice(["Centro Diagnostico", "Poliambulatorio", "Centro Medico",
                             "Casa di Cura", "Istituto Radiologico"]) + " " + rng.choice(
            ["San Luca", "Santa Maria", "Salus", "Villa Fiorita", "Medicina Futura",
             "Sant'Anna", "Delta Medica", "Il Faro"]) + rng.choice([" S.r.l.", " S.p.A.", " Srl", ""])
        doctor_cf = None
    services = _services(rng, "diagnostic" if kind == "centre" else "studio")
    if two_pages:
        services += [(n, Decimal(rng.randint(30, 120))) for n in rng.sample(DIAGNOSTIC, 4)]
    gross = sum((a for _, a in services), Decimal(0))
    bollo = Decimal("2.00") if gross > Decimal("77.47") and rng.random() < 0.7 else Decimal(0)
    enpap = rng.random() < 0.15 and kind == "studio"
    contribution = (gross * Decimal("0.02")).quantize(Decimal("0.01")) if enpap else Decimal(0)
    vat_line = rng.random() < 0.2
    vat_amount = Decimal("0")
    if vat_line:
        cert = Decimal(rng.choice([20, 25, 30, 40]))
        services.append(("Certificato medico ad uso privato", cert))
        vat_amount = (cert * Decimal("0.22")).quantize(Decimal("0.01"))
    subtotal = sum((a for _, a in services), Decimal(0))
    acconto = Decimal(0)
    if rng.random() < 0.2 and subtotal > 60:
        acconto = Decimal(rng.choice([20, 30, 50]))
    total = subtotal + contribution + vat_amount + bollo
    to_pay = total - acconto
    money = rng.choice(["symbol", "symbol", "eur", "after", "plain", "symbol_tight"])
    dstyle = rng.choice(["slash", "slash", "dash2", "dash4", "dot", "words", "words"])
    doc = Document(kind, day, to_pay, number, issuer, vat, patient.tax_code, list(services))
    w = Writer(doc, rng, rng.choice([9, 9.5, 10, 10.5, 11]))
    # Header: the issuer, its address and codes
    w.row((0, issuer), bold=True, size=w.size + rng.choice([2, 3, 5]))
    if kind == "studio" and rng.random() < 0.5:
        w.row((0, rng.choice(["Medico Chirurgo", "Specialista in Oftalmologia",
                              "Specialista in Cardiologia", "Odontoiatra",
                              "Psicologa Psicoterapeuta"])))
    city = rng.choice(list(PLACES))
    w.row((0, f"{rng.choice(STREETS)}, {rng.randint(1, 200)} - {rng.randint(10, 98)}1{rng.randint(0, 9)}0 {city}"))
    if rng.random() < 0.6:
        w.row((0, f"Tel. 0{rng.randint(2, 99)} {rng.randint(100000, 9999999)}"))
    vat_label = rng.choice(["P.IVA", "P. IVA", "Partita IVA", "P.Iva", "P.I."])
    if doctor_cf and rng.random() < 0.5:
        w.row((0, f"{vat_label} {vat} - C.F. {doctor_cf}"))
    else:
        w.row((0, f"{vat_label} {vat}"))
        if doctor_cf:
            w.row((0, f"Cod. Fisc. {doctor_cf}"))
    w.blank(rng.randint(1, 3))
    # Title: number and date
    dlabel = rng.choice(["del", "Data:", "Data", "del giorno", "in data"])
    if rng.random() < 0.5:
        w.row((0, f"{label} {number} {dlabel} {date_text(day, dstyle)}"), bold=True,
              size=w.size + 1)
    else:
        w.row((0, f"{label} {number}"), bold=True, size=w.size + 1)
        w.row((0, f"{rng.choice(['Data', 'Data emissione', 'Data documento'])}: {date_text(day, dstyle)}"))
    w.blank()
    # The patient
    w.row((0, rng.choice(["Spett.le", "Paziente:", "Intestata a:", "Sig./Sig.ra", "Cliente:"])
           + " " + patient.full))
    if rng.random() < 0.5:
        w.row((0, f"{rng.choice(STREETS)} {rng.randint(1, 90)}, {patient.place}"))
    if rng.random() < 0.3:
        w.row((0, f"nato/a a {patient.place} il {patient.born.strftime('%d/%m/%Y')}"))
    w.row((0, f"{rng.choice(['C.F.', 'Codice Fiscale', 'Cod. Fiscale', 'CF:'])} {patient.tax_code}"))
    w.blank()
    # The services
    right = doc.width_mm
    w.row((0, rng.choice(["Descrizione", "Prestazione", "Descrizione prestazione"])),
          (right, "Importo", "right"), bold=True)
    for index, (name, amount) in enumerate(services):
        if two_pages and index == 4:
            w.row((0, rng.choice(["Segue", "- segue -", "continua a pagina 2"])))
            w.row((0, "Pagina 1 di 2"))
            w.new_page()
            w.row((0, f"{issuer} - {label} {number}"), bold=True)
            w.row((right, "Pagina 2 di 2", "right"))
            w.blank()
        w.row((0, name), (right, euro(amount, rng, money), "right"))
    w.blank()
    if vat_line:
        w.row((0, "Imponibile soggetto IVA 22%"), (right, euro(services[-1][1], rng, money), "right"))
        w.row((0, "IVA 22%"), (right, euro(vat_amount, rng, money), "right"))
        w.row((0, "Prestazioni esenti art. 10 DPR 633/72"),
              (right, euro(subtotal - services[-1][1], rng, money), "right"))
    else:
        w.row((0, rng.choice(["Operazione esente IVA ai sensi dell'art. 10 n. 18 DPR 633/72",
                              "Esente IVA art. 10 c. 1 n. 18 D.P.R. 633/1972",
                              "Prestazione sanitaria esente IVA"])))
    if rng.random() < 0.6 or bollo or acconto or enpap:
        w.row((0, rng.choice(["Totale prestazioni", "Totale imponibile", "Subtotale",
                              "Totale parziale"])), (right, euro(subtotal, rng, money), "right"))
    if enpap:
        w.row((0, "Contributo integrativo ENPAP 2%"), (right, euro(contribution, rng, money), "right"))
    if bollo:
        w.row((0, rng.choice(["Marca da bollo", "Imposta di bollo", "Bollo virtuale",
                              "Rivalsa bollo"])), (right, euro(bollo, rng, money), "right"))
    if acconto:
        acc_day = day - dt.timedelta(days=rng.randint(3, 40))
        w.row((0, rng.choice(["Totale documento", "Totale fattura"])),
              (right, euro(total, rng, money), "right"))
        w.row((0, f"A dedurre acconto ricevuta n. {rng.randint(1, 300)} del "
                  f"{date_text(acc_day, 'slash')}"), (right, "-" + euro(acconto, rng, money), "right"))
        w.row((0, rng.choice(["Netto a pagare", "Totale da pagare", "Saldo da pagare",
                              "TOTALE A SALDO"])), (right, euro(to_pay, rng, money), "right"),
              bold=True, size=w.size + 1)
    else:
        w.row((0, rng.choice(["Totale", "TOTALE", "Totale documento", "Totale fattura",
                              "Totale da pagare", "TOTALE EURO", "Importo totale"])),
              (right, euro(to_pay, rng, money), "right"), bold=True, size=w.size + 1)
    w.blank()
    w.row((0, rng.choice(["Pagamento: carta di credito", "Pagato con bancomat",
                          "Modalità di pagamento: contanti", "Pagamento tracciabile: POS",
                          "Pagamento: bonifico bancario"])))
    if bollo:
        w.row((0, "Imposta di bollo assolta sull'originale" if rng.random() < 0.5 else
               "Bollo assolto in modo virtuale"))
    if rng.random() < 0.4:
        w.row((0, "Il paziente si oppone alla trasmissione dei dati al Sistema TS: NO"))
    if rng.random() < 0.3:
        w.row((0, f"{city}, {date_text(day, 'slash')}"))
    w.blank()
    w.row((right * 0.6, "Firma"))
    return doc


def pharmacy(rng: random.Random) -> Document:
    today = dt.date(2026, 11, 30)
    day = today - dt.timedelta(days=rng.randint(1, 700))
    patient = person(rng)
    vat = vat_number(rng)
    issuer = "FARMACIA " + rng.choice(["CENTRALE", "SAN MARCO", "COMUNALE 3", "DEL CORSO",
                                      "ALLA STAZIONE", "MODERNA", "S. ANNA"]) + rng.choice(
        ["", " DR. " + rng.choice(SURNAMES).upper(), " SNC", " S.R.L."])
    items = [(n, Decimal(rng.randint(250, 2400)) / 100) for n in rng.sample(PHARMACY, rng.randint(1, 5))]
    total = sum((a for _, a in items), Decimal(0))
    number = f"{rng.randint(1, 9999):04d}-{rng.randint(1, 9999):04d}"
    doc = Document("pharmacy", day, total, number, issuer, vat, patient.tax_code, list(items),
                   width_mm=72)
    w = Writer(doc, rng, rng.choice([8, 8.5, 9]), rows_per_page=200)
    right = doc.width_mm
    w.row((right / 2, issuer, "center"), bold=True)
    w.row((right / 2, f"{rng.choice(STREETS).upper()} {rng.randint(1, 99)}", "center"))
    w.row((right / 2, rng.choice(list(PLACES)).upper(), "center"))
    w.row((right / 2, f"P.IVA {vat}" if rng.random() < 0.6 else f"PARTITA IVA {vat}", "center"))
    w.blank()
    w.row((right / 2, "DOCUMENTO COMMERCIALE", "center"), bold=True)
    w.row((right / 2, "di vendita o prestazione", "center"))
    w.blank()
    w.row((0, "DESCRIZIONE"), (right * 0.62, "IVA"), (right, "Prezzo(€)", "right"))
    for name, amount in items:
        w.row((0, name), (right * 0.62, rng.choice(["10%", "22%", "10%"])),
              (right, euro(amount, rng, "plain"), "right"))
    w.row((0, "-" * 40))
    lines_total = ("TOTALE COMPLESSIVO", "TOTALE", "TOTALE EURO")
    w.row((0, rng.choice(lines_total)), (right, euro(total, rng, "plain"), "right"), bold=True,
          size=w.size + 1.5)
    vat_part = (total - total / Decimal("1.1")).quantize(Decimal("0.01"))
    w.row((0, "di cui IVA"), (right, euro(vat_part, rng, "plain"), "right"))
    w.row((0, rng.choice(["Pagamento elettronico", "PAGAMENTO CONTANTE", "Pagamento carta"])),
          (right, euro(total, rng, "plain"), "right"))
    if rng.random() < 0.5:
        w.row((0, "Importo pagato"), (right, euro(total, rng, "plain"), "right"))
    w.blank()
    w.row((0, f"C.F. {patient.tax_code}" if rng.random() < 0.5 else f"CODICE FISCALE: {patient.tax_code}"))
    w.blank()
    t = f"{rng.randint(8, 19):02d}:{rng.randint(0, 59):02d}"
    w.row((0, f"{date_text(day, rng.choice(['dash4', 'slash', 'dash2']))} {t}"))
    w.row((0, rng.choice(["DOCUMENTO N.", "DOC. N.", "Documento n."]) + " " + number))
    w.row((0, f"RT {rng.choice('ABCDEFGHJK')}{rng.randint(10000000, 99999999)}"))
    w.blank()
    w.row((right / 2, "ARRIVEDERCI E GRAZIE", "center"))
    return doc


def draw_document(rng: random.Random) -> Document:
    roll = rng.random()
    if roll < 0.3:
        return pharmacy(rng)
    if roll < 0.4:
        return invoice(rng, rng.choice(["studio", "centre"]), two_pages=True)
    return invoice(rng, rng.choice(["studio", "studio", "centre"]))


# --- rendering ------------------------------------------------------------------------------


def text_pdf(doc: Document, rng: random.Random) -> bytes:
    from fpdf import FPDF

    family = rng.choice(["sans", "serif", "condensed", "mono"])
    regular, bold = FONT_FAMILIES[family]
    width = doc.width_mm + 20
    pdf = FPDF(unit="mm", format=(width, 297) if doc.kind != "pharmacy" else (width, 40 + 5 * sum(len(p) for p in doc.pages)))
    pdf.set_auto_page_break(False)
    pdf.add_font("doc", "", str(DEJAVU / regular))
    pdf.add_font("doc", "B", str(DEJAVU / bold))
    for page in doc.pages:
        pdf.add_page()
        y = 15.0
        for cells in page:
            height = max((c[3] for c in cells), default=10) * 0.5
            for x, text, is_bold, size, align in cells:
                pdf.set_font("doc", "B" if is_bold else "", size)
                tw = pdf.get_string_width(text)
                left = 10 + (x if align == "left" else x - tw if align == "right" else x - tw / 2)
                pdf.text(left, y, text)
            y += height
    return bytes(pdf.output())


def _font(family: str, bold: bool, px: int) -> ImageFont.FreeTypeFont:
    files = FONT_FAMILIES[family]
    return ImageFont.truetype(str(DEJAVU / files[1 if bold else 0]), px)


def page_images(doc: Document, rng: random.Random, dpi: int) -> list[Image.Image]:
    family = rng.choice(list(FONT_FAMILIES))
    scale = dpi / 25.4
    thermal = doc.kind == "pharmacy"
    images = []
    for page in doc.pages:
        rows = len(page)
        width = int((doc.width_mm + 20) * scale)
        height = int((297 if not thermal else 30 + 4.6 * rows) * scale)
        paper = (255, 255, 255) if not thermal else (rng.randint(238, 250),) * 3
        img = Image.new("RGB", (width, height), paper)
        draw = ImageDraw.Draw(img)
        y = 15 * scale
        ink = (20, 20, 20) if not thermal else (rng.randint(40, 90),) * 3
        for cells in page:
            line = max((c[3] for c in cells), default=10) * 0.5 * scale
            for x, text, bold, size, align in cells:
                font = _font(family, bold, max(8, int(size * 0.3528 * scale)))
                tw = draw.textlength(text, font=font)
                left = 10 * scale + (x * scale if align == "left" else
                                     x * scale - tw if align == "right" else x * scale - tw / 2)
                draw.text((left, y - size * 0.3528 * scale), text, font=font, fill=ink)
            y += line
        if thermal and rng.random() < 0.7:
            # Faded thermal print: lighter ink in bands
            fade = Image.linear_gradient("L").resize((width, height)).point(
                lambda v: int(v * rng.uniform(0.2, 0.5)))
            img = Image.composite(Image.new("RGB", img.size, paper), img, fade)
        images.append(img)
    return images


def scanned_pdf(images: list[Image.Image], rng: random.Random) -> bytes:
    pages = []
    for img in images:
        gray = img.convert("L").rotate(rng.uniform(-1.5, 1.5), fillcolor=255, expand=False)
        gray = gray.filter(ImageFilter.GaussianBlur(rng.uniform(0.2, 0.7)))
        pages.append(gray)
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=150.0, save_all=True, append_images=pages[1:],
                  quality=rng.randint(55, 80))
    return out.getvalue()


def _noise(rng: random.Random, size: tuple[int, int], sigma: float) -> Image.Image:
    import numpy as np

    values = np.random.default_rng(rng.getrandbits(32)).normal(128, sigma, (size[1], size[0]))
    return Image.fromarray(values.clip(0, 255).astype("uint8")).convert("RGB")


def _gradient(size: tuple[int, int], angle: float, strength: float) -> Image.Image:
    """Light falling unevenly across the picture: 0 on one side, `strength` on the other."""
    import numpy as np

    ys, xs = np.mgrid[0 : size[1], 0 : size[0]]
    ramp = xs * math.cos(angle) + ys * math.sin(angle)
    ramp = (ramp - ramp.min()) / max(1e-9, float(np.ptp(ramp)))
    return Image.fromarray((ramp * strength).astype("uint8"))


def _table(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    base = rng.choice([(150, 110, 70), (200, 190, 170), (90, 90, 95), (230, 228, 220),
                       (120, 80, 50)])
    table = Image.new("RGB", size, base)
    table = Image.blend(table, _noise(rng, size, rng.uniform(10, 30)), 0.15)
    draw = ImageDraw.Draw(table)
    for _ in range(rng.randint(0, 12)):  # wood grain or tiles
        y = rng.randint(0, size[1])
        shade = tuple(max(0, c - rng.randint(5, 30)) for c in base)
        draw.line([(0, y), (size[0], y + rng.randint(-40, 40))], fill=shade, width=rng.randint(1, 6))
    return table


def _perspective_coeffs(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> list[float]:
    import numpy as np

    matrix = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = np.array(matrix, dtype=float)
    b = np.array([c for p in src for c in p], dtype=float)
    return list(np.linalg.solve(a, b))


def phone_photo(page: Image.Image, rng: random.Random, long_side: int) -> Image.Image:
    """The page lying on a table, photographed by hand: perspective, rotation, shadow, blur."""
    pw, ph = page.size
    margin = rng.uniform(0.04, 0.2)
    cw, ch = int(pw * (1 + 2 * margin)), int(ph * (1 + 2 * margin))
    if ph > pw * 2.2:  # a long thermal receipt: photographed in portrait, less table
        cw = int(ph * rng.uniform(0.6, 0.8))
    canvas = _table(rng, (cw, ch))
    angle = rng.uniform(-7, 7)
    rotated = page.rotate(angle, expand=True, resample=Image.BICUBIC, fillcolor=None)
    mask = Image.new("L", page.size, 255).rotate(angle, expand=True)
    ox, oy = (cw - rotated.width) // 2, (ch - rotated.height) // 2
    canvas.paste(rotated, (ox + rng.randint(-20, 20), oy + rng.randint(-20, 20)), mask)
    # Perspective: the phone not held flat
    w, h = canvas.size
    j = lambda s: rng.uniform(0, s)  # noqa: E731
    k = rng.uniform(0.02, 0.08)
    dst = [(j(w * k), j(h * k)), (w - j(w * k), j(h * k)), (w - j(w * k), h - j(h * k)),
           (j(w * k), h - j(h * k))]
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    canvas = canvas.transform((w, h), Image.PERSPECTIVE, _perspective_coeffs(src, dst),
                              Image.BICUBIC, fillcolor=(60, 60, 60))
    # Shadow of the hand or the phone, and uneven light
    shadow = Image.new("L", canvas.size, 0)
    sd = ImageDraw.Draw(shadow)
    cx, cy = rng.randint(0, w), rng.randint(0, h)
    r = rng.randint(w // 4, w // 1)
    sd.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rng.randint(40, 110))
    shadow = shadow.filter(ImageFilter.GaussianBlur(w / 15))
    light = _gradient(canvas.size, rng.uniform(0, 2 * math.pi), rng.uniform(25, 90))
    dark = Image.new("RGB", canvas.size, (15, 15, 25))
    canvas = Image.composite(dark, canvas, shadow)
    canvas = Image.composite(dark, canvas, light)
    # Phone resolution, focus, noise
    scale = long_side / max(canvas.size)
    canvas = canvas.resize((int(w * scale), int(h * scale)), Image.LANCZOS)
    canvas = canvas.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.3)))
    canvas = Image.blend(canvas, _noise(rng, canvas.size, rng.uniform(20, 60)), 0.08)
    return canvas


def save_photo(photo: Image.Image, rng: random.Random) -> bytes:
    """JPEG as a phone writes it; sometimes the turn is only in the EXIF orientation tag."""
    turn = rng.choices([0, 90, 180, 270], weights=[70, 12, 6, 12])[0]
    exif = Image.Exif()
    if turn and rng.random() < 0.5:
        # Pixels stored sideways, the tag saying how to turn them upright (as phones do)
        photo = photo.rotate({90: 90, 180: 180, 270: -90}[turn], expand=True)
        exif[0x0112] = {90: 6, 180: 3, 270: 8}[turn]
    elif turn:
        photo = photo.rotate(turn, expand=True)  # the page itself lies turned in the frame
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=rng.randint(50, 85), exif=exif)
    return out.getvalue()


def make(out: Path, seed: int, count: int) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    truths = []
    for index in range(count):
        doc = draw_document(rng)
        form = rng.choices(["pdf", "photo", "scan"], weights=[35, 55, 10])[0]
        name = f"{index:03d}-{doc.kind}-{form}"
        if form == "pdf":
            name += ".pdf"
            data = text_pdf(doc, rng)
        elif form == "scan":
            name += ".pdf"
            data = scanned_pdf(page_images(doc, rng, dpi=150), rng)
        else:
            name += ".jpg"
            # One photo of the first page; a two-page invoice photographed on its second page
            # would not hold the number: such documents are sent as PDFs, so photo page 1
            # only when everything is on it.
            if len(doc.pages) > 1:
                name = name.replace("-photo.jpg", "-scan.pdf")
                data = scanned_pdf(page_images(doc, rng, dpi=150), rng)
            else:
                page = page_images(doc, rng, dpi=rng.choice([150, 170, 200]))[0]
                long_side = rng.choice([1280, 1600, 2000, 2400])
                data = save_photo(phone_photo(page, rng, long_side), rng)
        (out / name).write_bytes(data)
        truths.append({
            "file": name,
            "date": doc.date.isoformat(),
            "amount": f"{doc.total:.2f}",
            "number": doc.number,
            "issuer": doc.issuer,
            "vat_number": doc.vat,
            "patient_tax_code": doc.patient_cf,
            "lines": [[n, f"{a:.2f}"] for n, a in doc.lines],
            "pages": len(doc.pages),
        })
    with (out / "truth.jsonl").open("w", encoding="utf-8") as handle:
        for truth in truths:
            handle.write(json.dumps(truth, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args()
    make(args.out, args.seed, args.count)


if __name__ == "__main__":
    main()
