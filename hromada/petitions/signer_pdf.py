"""The printable signer list for the official file (fpdf2, a pure-Python PDF writer).

The statute's fields: the petition's number and title, its dates (published, end of
collection, threshold reached), and for each signer the name, the date and time of the
signature and how the identity was verified. Cyrillic needs a Unicode font: DejaVu Sans
from Debian's fonts-dejavu-core (scripts/install-system-deps), or PETITIONS_PDF_FONT_DIR.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Petition

FONT_DIRS = (
    os.environ.get("PETITIONS_PDF_FONT_DIR", ""),
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
)


class FontMissing(RuntimeError):
    pass


def _font(name: str) -> str:
    for directory in FONT_DIRS:
        if directory and (Path(directory) / name).exists():
            return str(Path(directory) / name)
    raise FontMissing(
        f"{name} not found in {FONT_DIRS}: install fonts-dejavu-core (scripts/install-system-deps)"
    )


def _date(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    return value.strftime("%d.%m.%Y")


def signer_list_pdf(*, petition: Petition, rows: list[dict]) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    footer_text = f"{_('Петиція')} №{petition.number} · {_('сторінка')} "

    class _Pdf(FPDF):
        def footer(self):  # every page says which petition and page it is, for the file
            self.set_y(-12)
            self.set_font("DejaVu", "", 8)
            self.cell(0, 5, f"{footer_text}{self.page_no()} / {{nb}}", align="C")

    pdf = _Pdf(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", _font("DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", _font("DejaVuSans-Bold.ttf"))
    pdf.set_title(f"{_('Список підписантів петиції')} №{petition.number}")
    pdf.set_creator("Hromada")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(
        0,
        7,
        f"{_('Список підписантів електронної петиції')} №{petition.number}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, f"«{petition.title}»", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 9)
    facts = [
        (_("Громада"), petition.hromada.name),
        (_("Автор (ініціатор)"), petition.author_name),
        (_("Подано"), _date(petition.submitted_at)),
        (_("Оприлюднено"), _date(petition.published_at)),
        (_("Завершення збору підписів"), _date(petition.collection_ends_at)),
        (_("Необхідна кількість підписів"), str(petition.threshold)),
        (_("Набрано підписів"), str(len(rows))),
        (_("Поріг досягнуто"), _date(petition.threshold_reached_at)),
        (_("Строк розгляду"), _date(petition.deadline)),
        (_("Сформовано"), _date(timezone.now())),
    ]
    for label, value in facts:
        pdf.cell(62, 5, f"{label}:")
        pdf.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    headings = (
        _("№"),
        _("Прізвище, ім'я (як підписано)"),
        _("Дата і час підпису"),
        _("Спосіб ідентифікації"),
    )
    with pdf.table(
        col_widths=(10, 70, 40, 60),
        headings_style=FontFace(emphasis="BOLD"),
        line_height=5,
        repeat_headings=1,
        text_align=("RIGHT", "LEFT", "LEFT", "LEFT"),
    ) as table:
        table.row(headings)
        for row in rows:
            table.row((str(row["n"]), row["name"], row["signed_at"], row["method"]))
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0,
        5,
        _(
            "Підписи зібрано на офіційному вебсайті громади з ідентифікацією кожного підписанта; "
            "кожен підпис записано до публічного журналу подій громади."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(8)
    pdf.cell(0, 5, _("Відповідальна особа: ______________________   Підпис: __________"))
    return bytes(pdf.output())
