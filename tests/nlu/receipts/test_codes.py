"""Partita IVA and codice fiscale: check digits verified, one OCR confusion mended."""

from __future__ import annotations

from nlu.receipts.codes import find_tax_codes, find_vat_numbers, mend_tax_code, mend_vat_number


def test_vat_number() -> None:
    assert mend_vat_number("01234560017") == ("01234560017", False)
    assert mend_vat_number("O1234560017") == ("01234560017", True)
    assert mend_vat_number("0I234S60017") == ("01234560017", True)
    assert mend_vat_number("01234560010") is None  # wrong check digit: not guessed
    assert mend_vat_number("0123456001") is None


def test_tax_code() -> None:
    assert mend_tax_code("RSSMRA85T10A562S") == ("RSSMRA85T10A562S", False)
    assert mend_tax_code("R5SMRA85T1OA562S") == ("RSSMRA85T10A562S", True)
    assert mend_tax_code("RSSMRA8ST10A562S") == ("RSSMRA85T10A562S", True)
    assert mend_tax_code("RSSMRA85T10A562X") is None


def test_found_in_lines() -> None:
    assert [v for _, v, _ in find_vat_numbers("P.IVA IT 01234560017 - tel 0612345678")] == [
        "01234560017"]
    assert [v for _, v, _ in find_tax_codes("C.F.RSSMRA85T10A562S")] == ["RSSMRA85T10A562S"]
