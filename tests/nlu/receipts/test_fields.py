"""Field extraction from a receipt's text lines: Italian dates, amounts, totals, numbers, codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nlu.receipts.fields import extract_fields
from nlu.receipts.text import TextLine

TODAY = dt.date(2026, 12, 2)


def read(text: str, confidence: float = 1.0):
    lines = [TextLine(line, confidence) for line in text.strip().splitlines()]
    return extract_fields(lines, source="text", pages=1, today=TODAY)


INVOICE = """
Studio Oculistico Dott. Paolo Bianchi
Via Roma, 12 - 20121 Milano
P.IVA 01234560017 - C.F. BNCPLA70A01F205{doctor_check}
Fattura n. 118/2026 del 12/03/2026
Paziente: Mario Rossi
C.F. RSSMRA85T10A562S
Descrizione                                   Importo
Visita oculistica                             € 85,00
Totale prestazioni                            € 85,00
Marca da bollo                                 € 2,00
Totale documento                              € 87,00
"""


def _doctor_invoice() -> str:
    from stdnum.it import codicefiscale

    body = "BNCPLA70A01F205"
    return INVOICE.replace("{doctor_check}", codicefiscale.calc_check_digit(body))


def test_invoice_fields() -> None:
    receipt = read(_doctor_invoice())
    assert receipt.date.value == dt.date(2026, 3, 12)
    assert receipt.total.value == Decimal("87.00")  # not "Totale prestazioni", not the bollo
    assert receipt.number.value == "118/2026"
    assert receipt.issuer.value == "Studio Oculistico Dott. Paolo Bianchi"
    assert receipt.vat_number.value == "01234560017"
    # The doctor's codice fiscale beside the partita IVA is not the patient's
    assert receipt.patient_tax_code.value == "RSSMRA85T10A562S"
    assert [(line.description, line.amount) for line in receipt.lines] == [
        ("Visita oculistica", Decimal("85.00"))
    ]
    assert receipt.source == "text" and receipt.pages == 1
    assert all(f.confidence >= 0.85 for f in (receipt.date, receipt.total, receipt.number))


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Data: 12/03/2026", dt.date(2026, 3, 12)),
        ("Data documento 12-03-26", dt.date(2026, 3, 12)),
        ("Roma, 12 marzo 2026", dt.date(2026, 3, 12)),
        ("del 5 MAG 2025", dt.date(2025, 5, 5)),
        ("Data emissione: 1.2.2026", dt.date(2026, 2, 1)),
        ("Data 12/O3/2O26", dt.date(2026, 3, 12)),  # OCR's O for 0
    ],
)
def test_date_formats(printed: str, expected: dt.date) -> None:
    assert read(f"Ricevuta nr. 342\n{printed}\nTotale € 50,00").date.value == expected


def test_birth_date_and_acconto_date_are_not_the_document_date() -> None:
    receipt = read("""
        Centro Medico Salus Srl
        Fattura n. 57/2026
        Paziente nato il 10/12/1985
        Data 03/04/2026
        Visita cardiologica 150,00
        Totale documento 150,00
        A dedurre acconto ricevuta n. 12 del 01/03/2026 -50,00
        Netto a pagare 100,00
    """)
    assert receipt.date.value == dt.date(2026, 4, 3)
    assert receipt.number.value == "57/2026"  # not the acconto's receipt number
    assert receipt.total.value == Decimal("100.00")  # what this document asks, acconto paid


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Totale € 1.234,56", "1234.56"),
        ("TOTALE EURO 85,00", "85.00"),
        ("Totale  EUR 85,00", "85.00"),
        ("Totale da pagare 85.00 €", "85.00"),
        ("Importo totale: €85,OO", "85.00"),  # OCR's O for 0
        ("TOTALE COMPLESSIVO 12,40", "12.40"),
    ],
)
def test_amount_formats(printed: str, expected: str) -> None:
    assert read(f"Fattura n. 1/2026 del 02/01/2026\n{printed}").total.value == Decimal(expected)


def test_total_is_not_a_vat_or_bollo_line() -> None:
    receipt = read("""
        Poliambulatorio Il Faro
        Fattura nr. 2026/00342 del 05-02-26
        Ecografia addome completo          120,00
        Certificato medico                  30,00
        Imponibile soggetto IVA 22%         30,00
        IVA 22%                              6,60
        Totale fattura                     158,60
        Imposta di bollo                     2,00
    """)
    assert receipt.total.value == Decimal("158.60")
    assert receipt.number.value == "2026/00342"
    assert [line.description for line in receipt.lines] == ["Ecografia addome completo",
                                                             "Certificato medico"]


def test_pharmacy_receipt() -> None:
    receipt = read("""
        FARMACIA CENTRALE DR. VERDI
        P.IVA 01234560017
        DOCUMENTO COMMERCIALE
        di vendita o prestazione
        TACHIPIRINA 500MG 20CPR   10%   5,90
        TICKET SSN RICETTA        10%   6,50
        TOTALE COMPLESSIVO             12,40
        di cui IVA                      1,13
        PAGAMENTO ELETTRONICO          12,40
        C.F. RSSMRA85T10A562S
        12-03-2026 10:42
        DOCUMENTO N. 0042-0117
    """)
    assert receipt.total.value == Decimal("12.40")
    assert receipt.number.value == "0042-0117"
    assert receipt.date.value == dt.date(2026, 3, 12)
    assert receipt.issuer.value == "FARMACIA CENTRALE DR. VERDI"
    assert receipt.patient_tax_code.value == "RSSMRA85T10A562S"
    assert [line.description for line in receipt.lines] == ["TACHIPIRINA 500MG 20CPR",
                                                             "TICKET SSN RICETTA"]


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Fattura n. 118/2026", "118/2026"),
        ("Ricevuta nr. 342", "342"),
        ("Documento commerciale n. 0042-0117", "0042-0117"),
        ("FATTURA N°FT26-0861 Data 06.02.2026", "FT26-0861"),
        ("Ricevuta sanitaria n.557/2025del 02/03/2025", "557/2025"),  # OCR lost the space
        ("Fattura numero 12/A", "12/A"),
        ("N. documento: 2026/00548", "2026/00548"),
    ],
)
def test_numbers(printed: str, expected: str) -> None:
    assert read(f"{printed}\nTotale 50,00").number.value == expected


def test_codes_mended_from_one_ocr_confusion() -> None:
    receipt = read("""
        Studio Medico Dott. Rossi
        P.IVA O1234560017
        Fattura n. 3 del 02/01/2026
        Cod. Fiscale RSSMRA85T1OA562S
        Totale 50,00
    """)
    assert receipt.vat_number.value == "01234560017"
    assert receipt.patient_tax_code.value == "RSSMRA85T10A562S"
    assert receipt.patient_tax_code.confidence < 0.9  # mended: said back, not taken silently


def test_invalid_codes_are_not_returned() -> None:
    receipt = read("""
        Studio Medico
        P.IVA 01234560010
        Fattura n. 3 del 02/01/2026
        C.F. RSSMRA85T10A562X
        Totale 50,00
    """)
    assert receipt.vat_number is None
    assert receipt.patient_tax_code is None


def test_ocr_confidence_lowers_field_confidence() -> None:
    sure = read(_doctor_invoice())
    unsure = read(_doctor_invoice(), confidence=0.6)
    assert unsure.total.confidence < sure.total.confidence


@pytest.mark.parametrize("text", ["", "   \n\n", "ciao come stai 😀", "x" * 100_000,
                                  "12345678901234560010" * 50])
def test_nothing_to_read(text: str) -> None:
    receipt = read(text or " ")
    assert not receipt.anything


def test_issuer_company_suffix_mended() -> None:
    receipt = read("Casa di Cura Salus S.r.I.\nFattura n. 3 del 02/01/2026\nTotale 50,00")
    assert receipt.issuer.value == "Casa di Cura Salus S.r.l."


def test_print_date_is_not_the_document_date() -> None:
    receipt = read("Studio Medico Verdi\nData stampa 20/03/2026\nRicevuta n. 9 del 02/03/2026"
                   "\nTotale 50,00")
    assert receipt.date.value == dt.date(2026, 3, 2)


def test_date_with_the_time_glued_by_ocr() -> None:
    receipt = read("FARMACIA SAN MARCO\nTOTALE 35,40\n15-05-202512:43\nDOCUMENTO N.7280-6216")
    assert receipt.date.value == dt.date(2025, 5, 15)
