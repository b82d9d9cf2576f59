"""Real files to upload in tests: photos, PDFs, and the broken ones customers also send."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw
from pypdf import PdfWriter


def jpeg(text: str = "Fattura", size: tuple[int, int] = (400, 300)) -> bytes:
    """A photo of a 'receipt': different `text` gives different bytes (and sha256)."""
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((20, 20), text, fill="black")
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def png(text: str = "Prescrizione", size: tuple[int, int] = (300, 400)) -> bytes:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((20, 20), text, fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pdf(pages: int = 1, title: str = "Documento") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("segreta", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_javascript() -> bytes:
    """Document-level JavaScript in the catalog's /Names tree, run when the PDF opens."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    script = writer._add_object(DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"),
        NameObject("/JS"): TextStringObject("app.alert('ciao');"),
    }))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject(
        [TextStringObject("benvenuto"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)})
    return _written(writer)


def pdf_with_attachment() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("fattura.exe", b"MZ\x90\x00 not really a program")
    return _written(writer)


def pdf_with_launch() -> bytes:
    """An /OpenAction that launches a program when the PDF is opened."""
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = DictionaryObject({
        NameObject("/S"): NameObject("/Launch"),
        NameObject("/F"): TextStringObject("cmd.exe"),
    })
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


def pdf_with_hidden_javascript() -> bytes:
    """JavaScript named with #-escapes (/J#61vaScript), as obfuscated malware does."""
    data = pdf_with_javascript()
    return data.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")


def pdf_with_link() -> bytes:
    """A plain web link and a go-to-page open action: passive, accepted."""
    from pypdf.annotations import Link
    from pypdf.generic import ArrayObject, NameObject, NullObject, NumberObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://www.example.it"))
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [page.indirect_reference, NameObject("/XYZ"), NullObject(), NullObject(),
         NumberObject(0)])
    return _written(writer)


def huge_png(pixels: int = 42_000_000) -> bytes:
    """A black-and-white PNG of `pixels`: a few hundred kB, huge once decoded."""
    side = int(pixels ** 0.5) + 1
    out = io.BytesIO()
    Image.new("1", (side, side), 1).save(out, "PNG")
    return out.getvalue()


def invoice_pdf(number: str = "118/2026", day: str = "12/03/2026",
                lines: tuple[tuple[str, str], ...] = (("Prima visita dermatologica", "85,00"),),
                total: str = "85,00", issuer: str = "Studio Dermatologico Bianchi",
                vat: str = "01234560124", patient: str = "Marco Rossi",
                patient_tax_code: str = "RSSMRC14P08H501C", pages: int = 1) -> bytes:
    """An Italian medical invoice as a text-layer PDF (what a studio's software prints): the
    issuer with its partita IVA, the number and date, the patient with the codice fiscale, the
    services and the total; `pages` 2 puts the total on a second page."""
    from fpdf import FPDF  # a test dependency: only tests write invoices

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 8, issuer, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, "Via Roma 12, 00184 Roma", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"P.IVA {vat}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, f"Fattura n. {number} del {day}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, f"Paziente: {patient}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"Codice fiscale: {patient_tax_code}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(130, 7, "Descrizione")
    pdf.cell(0, 7, "Importo", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for description, amount in lines:
        pdf.cell(130, 7, description)
        pdf.cell(0, 7, f"€ {amount}", new_x="LMARGIN", new_y="NEXT")
    if pages > 1:
        pdf.add_page()
    pdf.ln(6)
    pdf.cell(130, 7, "Operazione esente IVA art. 10 DPR 633/72")
    pdf.ln(7)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(130, 8, "Totale documento")
    pdf.cell(0, 8, f"€ {total}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def invoice_photo(number: str = "118/2026", day: str = "12/03/2026",
                  description: str = "Prima visita dermatologica", total: str = "85,00",
                  issuer: str = "Studio Dermatologico Bianchi", vat: str = "01234560124",
                  patient_tax_code: str = "RSSMRC14P08H501C", angle: float = 3.0) -> bytes:
    """A phone photo of a printed invoice: the page slightly turned on a grey table, JPEG."""
    from PIL import ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    bold = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 34)
    page = Image.new("RGB", (1240, 1400), "white")
    draw = ImageDraw.Draw(page)
    rows = [(issuer, bold), ("Via Roma 12, 00184 Roma", font), (f"P.IVA {vat}", font),
            ("", font), (f"Fattura n. {number} del {day}", bold),
            (f"Codice fiscale paziente: {patient_tax_code}", font), ("", font),
            (f"{description}    € {total}", font), ("", font),
            (f"Totale documento  € {total}", bold)]
    y = 90
    for text, face in rows:
        draw.text((90, y), text, fill="black", font=face)
        y += 70
    table = Image.new("RGB", (1500, 1700), (120, 110, 100))
    turned = page.rotate(angle, expand=True, fillcolor=(120, 110, 100))
    table.paste(turned, (80, 80))
    out = io.BytesIO()
    table.save(out, "JPEG", quality=80)
    return out.getvalue()
