"""Writes the demo household's small documents (PDF and PNG) into data/demo/files/.

Run once by hand (`.venv/bin/python data/demo/make_files.py`); the output is committed, so
the demo does not depend on this script or on Pillow's fonts.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

FILES = Path(__file__).parent / "files"

PDFS: dict[str, list[str]] = {
    "fattura_2025_0142.pdf": [
        "Centro Medico Salus Prati - Via Cola di Rienzo 112, 00192 Roma",
        "FATTURA n. 2025/0142 del 03/02/2025",
        "Paziente: Mario Rossi (RSSMRA75D12H501J)",
        "Prima visita cardiologica (89.7A.3)       EUR 150,00",
        "Totale                                    EUR 150,00",
        "Documento dimostrativo - demo medbot",
    ],
    "fattura_2025_0388.pdf": [
        "Poliambulatorio Tiburtino - Via Tiburtina 450, 00159 Roma",
        "FATTURA n. 2025/0388 del 14/05/2025",
        "Paziente: Anna Rossi (RSSNNA78M55F205Z)",
        "RM del ginocchio (88.94.D)                EUR 280,00",
        "Totale                                    EUR 280,00",
        "Documento dimostrativo - demo medbot",
    ],
    "fattura_2025_0517.pdf": [
        "Centro Medico Salus Prati - Via Cola di Rienzo 112, 00192 Roma",
        "FATTURA n. 2025/0517 del 22/07/2025",
        "Paziente: Luca Rossi (RSSLCU05A20H501A)",
        "Prima visita ortopedica (89.7B.8)         EUR 120,00",
        "Totale                                    EUR 120,00",
        "Documento dimostrativo - demo medbot",
    ],
    "prescrizione_tonsillectomia.pdf": [
        "Dott.ssa Giulia Bianchi - Pediatra di libera scelta, Roma",
        "PRESCRIZIONE del 15/09/2025",
        "Paziente: Marco Rossi (RSSMRC14P08H501C)",
        "Si prescrive: tonsillectomia con adenoidectomia (28.3)",
        "Diagnosi: tonsilliti ricorrenti, ipertrofia adenoidea",
        "Documento dimostrativo - demo medbot",
    ],
    "fattura_2026_0061.pdf": [
        "Centro Medico Salus Prati - Via Cola di Rienzo 112, 00192 Roma",
        "FATTURA n. 2026/0061 del 19/01/2026",
        "Paziente: Mario Rossi (RSSMRA75D12H501J)",
        "Elettrocardiogramma (89.52)               EUR 60,00",
        "Totale                                    EUR 60,00",
        "Documento dimostrativo - demo medbot",
    ],
    "fattura_2026_0214.pdf": [
        "Clinica Villa Rosa - Via Flaminia 300, 00196 Roma",
        "FATTURA n. 2026/0214 del 27/03/2026",
        "Paziente: Anna Rossi (RSSNNA78M55F205Z)",
        "Ricovero: colecistectomia laparoscopica (51.23)  EUR 4.850,00",
        "Totale                                           EUR 4.850,00",
        "Documento dimostrativo - demo medbot",
    ],
    "cartella_clinica_2026.pdf": [
        "Clinica Villa Rosa - Via Flaminia 300, 00196 Roma",
        "CARTELLA CLINICA - lettera di dimissione",
        "Paziente: Anna Rossi (RSSNNA78M55F205Z)",
        "Ricovero dal 24/03/2026 al 26/03/2026",
        "Intervento: colecistectomia laparoscopica (51.23)",
        "Documento dimostrativo - demo medbot",
    ],
    "questionario_checkup.pdf": [
        "Salute Piu - Check-up annuale di prevenzione",
        "QUESTIONARIO ANAMNESTICO",
        "Assicurato: Mario Rossi (RSSMRA75D12H501J)",
        "Nessuna patologia in corso dichiarata",
        "Data: 10/11/2026",
        "Documento dimostrativo - demo medbot",
    ],
}

PNGS: dict[str, list[str]] = {
    "prescrizione_rm_ginocchio.png": [
        "SERVIZIO SANITARIO NAZIONALE - RICETTA",
        "Assistito: ROSSI ANNA",
        "RM DEL GINOCCHIO DX (88.94.D)",
        "Quesito: gonalgia persistente",
        "Roma, 02/05/2025 - demo medbot",
    ],
    "scontrino_oculistica_2026.png": [
        "STUDIO OCULISTICO DR. FERRARI",
        "Via Nomentana 210, 00162 Roma",
        "Ricevuta n. 88 del 17/11/2026",
        "Prima visita oculistica - ROSSI MARCO",
        "TOTALE EUR 95,00 - demo medbot",
    ],
}


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF 1.4 with Helvetica text, byte offsets computed for a valid xref."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
    for line in lines:
        ops.append(f"({escape(line)}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
        ),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _png(lines: list[str], path: Path) -> None:
    image = Image.new("L", (360, 24 + 18 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((12, 12 + 18 * i), line, fill=0)
    image.save(path, format="PNG", optimize=True)


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for name, lines in PDFS.items():
        (FILES / name).write_bytes(_pdf(lines))
    for name, lines in PNGS.items():
        _png(lines, FILES / name)


if __name__ == "__main__":
    main()
