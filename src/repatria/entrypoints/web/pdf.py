"""PDF layout with ReportLab: a title, key facts, tables, and the checkpoint that covers it."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from repatria.i18n import format_datetime
from repatria.i18n import gettext as _
from repatria.services.views import CheckpointView


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str]:
    """(regular, bold) font names: DejaVu Sans from matplotlib's data (full Unicode: names,
    arrows, §), else the built-in Helvetica."""
    try:
        import matplotlib

        base = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(base / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(base / "DejaVuSans-Bold.ttf")))
    except Exception:
        return "Helvetica", "Helvetica-Bold"
    return "DejaVuSans", "DejaVuSans-Bold"


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    """The few paragraph styles the documents use."""
    regular, bold = fonts()
    sheet = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", sheet["Title"], fontName=bold, fontSize=16),
        "h2": ParagraphStyle("h2", sheet["Heading2"], fontName=bold, fontSize=12),
        "body": ParagraphStyle("body", sheet["BodyText"], fontName=regular, fontSize=9.5),
        "small": ParagraphStyle(
            "small",
            sheet["BodyText"],
            fontName=regular,
            fontSize=8,
            textColor=colors.HexColor("#333333"),
        ),
        "cell": ParagraphStyle("cell", sheet["BodyText"], fontName=regular, fontSize=8, leading=10),
        "head": ParagraphStyle("head", sheet["BodyText"], fontName=bold, fontSize=8, leading=10),
    }


def text(value: object, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped, never read as markup)."""
    return Paragraph(escape("" if value is None else str(value)), styles()[style])


def heading(value: str) -> Paragraph:
    """A section heading."""
    return text(value, "h2")


def facts(pairs: Sequence[tuple[str, object]]) -> Table:
    """Label / value pairs as a two-column table."""
    rows = [[text(label, "head"), text(value, "cell")] for label, value in pairs]
    table = Table(rows, colWidths=[45 * mm, 125 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def mm_widths(*widths: float) -> list[float]:
    """Column widths given in millimetres (the page's text is 180 mm wide)."""
    return [w * mm for w in widths]


def grid(
    header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float] | None = None
) -> Table:
    """A table with a header row and thin rules."""
    data = [[text(h, "head") for h in header]]
    data += [[text(cell, "cell") for cell in row] for row in rows]
    table = Table(data, colWidths=list(widths) if widths else None, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf2")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def checkpoint_section(
    checkpoint: CheckpointView | None, seq: int | None, latest: CheckpointView | None
) -> list[Flowable]:
    """Which signed checkpoint covers the document's last event, and how to check it."""
    parts: list[Flowable] = [heading(_("Covering checkpoint"))]
    if seq is None:
        return [*parts, text(_("No event is recorded for this document's subject."))]
    if checkpoint is None:
        if latest:
            waiting = _(
                "Not yet covered by a signed checkpoint: its last event is at log position "
                "%(seq)s and the latest covers %(size)s events. Print the document again once "
                "the next checkpoint is signed (the Record page shows the latest) to have it "
                "here.",
                seq=seq,
                size=latest.tree_size,
            )
        else:
            waiting = _(
                "Not yet covered by a signed checkpoint: its last event is at log position "
                "%(seq)s and none is signed. Print the document again once the next checkpoint "
                "is signed (the Record page shows the latest) to have it here.",
                seq=seq,
            )
        return [*parts, text(waiting)]
    return [
        *parts,
        text(
            _(
                "The last event of this document (log position %(seq)s) is included in the "
                "signed checkpoint of %(size)s events; an auditor can ask for its inclusion "
                "proof and check the signature with the published key.",
                seq=seq,
                size=checkpoint.tree_size,
            )
        ),
        facts(
            [
                (_("Tree size"), checkpoint.tree_size),
                (_("Root hash"), checkpoint.root_hash),
                (_("Signed at"), checkpoint.signed_at.astimezone(UTC).isoformat()),
                (_("Key id"), checkpoint.key_id),
                (_("Signature"), checkpoint.signature),
            ]
        ),
    ]


def signature_blocks(parties: Sequence[tuple[str, str]]) -> list[Flowable]:
    """Blocks for officers to sign by hand: for each (role, state) a name, title, signature
    and the date and time written out, side by side."""
    line = "_" * 34
    cells = [
        [
            text(f"{role} ({state})", "body"),
            text(_("Name: %(line)s", line=line), "small"),
            text(_("Title: %(line)s", line=line), "small"),
            text(_("Signature: %(line)s", line=line), "small"),
            text(_("Date and time: %(line)s", line=line), "small"),
        ]
        for role, state in parties
    ]
    table = Table([cells], colWidths=[90 * mm] * len(cells))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [heading(_("Signatures")), table]


def build(title: str, subtitle: str, body: Sequence[Flowable]) -> bytes:
    """Lay out a document on A4 and return the PDF bytes."""
    buffer = io.BytesIO()
    printed = format_datetime(datetime.now(UTC), "long")
    regular = fonts()[0]

    def footer(canvas: object, document: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(regular, 7)  # type: ignore[attr-defined]
        page = canvas.getPageNumber()  # type: ignore[attr-defined]
        canvas.drawString(  # type: ignore[attr-defined]
            15 * mm,
            10 * mm,
            _("Repatria · %(title)s · printed %(moment)s · page %(page)s")
            % {"title": title, "moment": printed, "page": page},
        )
        canvas.restoreState()  # type: ignore[attr-defined]

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="Repatria",
        subject=subtitle,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
    )
    story: list[Flowable] = [text(title, "title"), text(subtitle, "small"), Spacer(1, 4 * mm)]
    document.build([*story, *body], onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
