"""Building blocks of the meeting deck: a sober 16:9 frame, text, KPI tiles, traffic light, tables.

Why: the deck goes on screen in the council committee; every slide shares the same frame (title,
thin rule, footer with page number, the red demo badge for demo data) and all text stays real,
editable text in Arial (metric-compatible Liberation Sans under LibreOffice). Positions and sizes
are in inches on a 13.333 × 7.5 in slide; font sizes in [pt].
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from kek_data.status import LIGHTS


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#"))


W, H = 13.333, 7.5  # slide size [in]
LEFT, RIGHT = 0.5, 12.833  # content edges [in]
FONT = "Arial"
DARK = RGBColor(0x22, 0x22, 0x22)
GREY = RGBColor(0x55, 0x55, 0x55)
LIGHT = RGBColor(0xF2, 0xF2, 0xF2)
RULE = RGBColor(0xBF, 0xBF, 0xBF)
ACCENT = RGBColor(0x21, 0x66, 0xAC)
DEMO_RED = RGBColor(0xB2, 0x18, 0x2B)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
LAMP_OFF = RGBColor(0x5A, 0x5A, 0x5A)
#: Traffic-light colours from kek_data.status: fill, text on the fill, the word on white.
STATUS_RGB = {k: _rgb(lt.color) for k, lt in LIGHTS.items()}
STATUS_TEXT_RGB = {k: _rgb(lt.on_color) for k, lt in LIGHTS.items()}
STATUS_INK = {k: _rgb(lt.ink) for k, lt in LIGHTS.items()}
MIDDLE = MSO_ANCHOR.MIDDLE


@dataclass(frozen=True)
class Run:
    """A piece of text with its own weight, colour or size (None = paragraph default)."""

    text: str
    bold: bool = False
    color: RGBColor | None = None
    size: float | None = None


Para = str | Sequence[Run]


def new_presentation() -> PresentationType:
    """An empty 16:9 deck whose master and layouts are stretched to 16:9 and use Arial."""
    prs = Presentation()
    factor = W / 10.0
    prs.slide_width, prs.slide_height = Inches(W), Inches(H)
    for owner in [prs.slide_master, *prs.slide_layouts]:
        for shape in owner.shapes:
            shape.left, shape.width = Emu(int(shape.left * factor)), Emu(int(shape.width * factor))
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    theme._blob = theme.blob.replace(b'typeface="Calibri"', b'typeface="Arial"')
    return prs


def box(x: float, y: float, w: float, h: float) -> tuple[Emu, Emu, Emu, Emu]:
    """Left, top, width, height in EMU from inches."""
    return Inches(x), Inches(y), Inches(w), Inches(h)


def _font(run, size: float, bold: bool = False, color: RGBColor = DARK) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color


def fill_text(
    frame,
    paragraphs: Sequence[Para],
    size: float,
    *,
    color: RGBColor = DARK,
    bold: bool = False,
    align: PP_ALIGN = PP_ALIGN.LEFT,
    space_after: float = 0,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
    margin: float = 0.05,
) -> None:
    """Put paragraphs (plain strings or runs) into a text frame, replacing its text."""
    frame.clear()
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(margin))
    for i, para in enumerate(paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.alignment = align
        p.space_after = Pt(space_after)
        runs = [Run(para)] if isinstance(para, str) else para
        for r in runs:
            run = p.add_run()
            run.text = r.text
            _font(run, r.size or size, r.bold or bold, r.color or color)


def text_box(slide: Slide, x: float, y: float, w: float, h: float, paragraphs, size, **kw):
    """A text box at (x, y) of w × h [in] with ``paragraphs`` at ``size`` [pt]."""
    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    fill_text(box.text_frame, paragraphs, size, **kw)
    return box


def rect(slide: Slide, x, y, w, h, color: RGBColor, shape=MSO_SHAPE.RECTANGLE, line=None):
    """A filled shape without outline (or with ``line`` colour)."""
    s = slide.shapes.add_shape(shape, Inches(x), Inches(y), Inches(w), Inches(h))
    s.fill.solid()
    s.fill.fore_color.rgb = color
    if line is None:
        s.line.fill.background()
    else:
        s.line.color.rgb = line
    style = s._element.find(qn("p:style"))  # theme style: shadow in LibreOffice, white text
    if style is not None:
        s._element.remove(style)
    return s


def frame_slide(
    prs: PresentationType, title: str, footer: str, demo: bool, subtitle: str = ""
) -> Slide:
    """A content slide: title (placeholder, for outline and screen readers), rule, footer, badge."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    width = (10.1 if demo else RIGHT) - LEFT
    t = slide.shapes.title
    t.left, t.top, t.width, t.height = Inches(LEFT), Inches(0.3), Inches(width), Inches(0.75)
    fill_text(t.text_frame, [title], 26 if len(title) <= 48 else 22, bold=True,
              anchor=MSO_ANCHOR.BOTTOM)  # fmt: skip
    rect(slide, LEFT, 1.12, RIGHT - LEFT, 0.014, RULE).name = "Linie"
    if subtitle:
        text_box(slide, LEFT, 1.17, RIGHT - LEFT, 0.4, [subtitle], 14, color=GREY)
    text_box(slide, LEFT, 7.02, 10.3, 0.32, [footer], 10, color=GREY)
    if demo:
        demo_badge(slide)
    return slide


def demo_badge(slide: Slide, x: float = 10.33, y: float = 0.42, w: float = 2.5) -> None:
    """The red "DEMODATEN (FIKTIV)" badge (top right of every slide with demo data)."""
    badge = rect(slide, x, y, w, 0.46, DEMO_RED, MSO_SHAPE.ROUNDED_RECTANGLE)
    fill_text(badge.text_frame, ["DEMODATEN (FIKTIV)"], 14, bold=True, color=WHITE,
              align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)  # fmt: skip
    badge.name = "Demohinweis"


def number_pages(prs: PresentationType) -> None:
    """Write "Folie n von N" at the bottom right of every slide but the first."""
    total = len(prs.slides)
    for n, slide in enumerate(prs.slides, start=1):
        if n > 1:
            text_box(slide, 10.83, 7.02, 2.0, 0.32, [f"Folie {n} von {total}"], 10,
                     color=GREY, align=PP_ALIGN.RIGHT)  # fmt: skip


def picture(slide: Slide, png: bytes, x: float, y: float, w: float, h: float, alt: str):
    """A PNG at (x, y) of w × h [in] with alternative text for screen readers."""
    pic = slide.shapes.add_picture(io.BytesIO(png), Inches(x), Inches(y), Inches(w), Inches(h))
    pic._element.nvPicPr.cNvPr.set("descr", alt)
    return pic


def kpi_tile(slide: Slide, x, y, w, h, label: str, value: str, note: str, bar=ACCENT) -> None:
    """A light tile: label, large value, small note, and a coloured bar on the left."""
    rect(slide, x, y, w, h, LIGHT)
    rect(slide, x, y, 0.09, h, bar)
    text_box(slide, x + 0.22, y + 0.12, w - 0.35, 0.45, [label], 15, color=GREY)
    text_box(slide, x + 0.22, y + 0.58, w - 0.35, 0.75, [value], 30, bold=True,
             anchor=MSO_ANCHOR.MIDDLE)  # fmt: skip
    text_box(slide, x + 0.22, y + 1.38, w - 0.35, h - 1.45, [note], 13, color=GREY)


def traffic_light(slide: Slide, x: float, y: float, status: str, lamp: float = 0.36) -> None:
    """A three-lamp traffic light (red top, yellow middle, green bottom); ``status`` lit."""
    pad = lamp * 0.22
    housing = rect(slide, x, y, lamp + 2 * pad, 3 * lamp + 4 * pad, RGBColor(0x33, 0x33, 0x33),
                   MSO_SHAPE.ROUNDED_RECTANGLE)  # fmt: skip
    housing.name = f"Ampel {status}"
    for i, key in enumerate(("rot", "gelb", "gruen")):
        on = key == status
        lamp_shape = rect(slide, x + pad, y + pad + i * (lamp + pad), lamp, lamp,
                          STATUS_RGB[key] if on else LAMP_OFF, MSO_SHAPE.OVAL)  # fmt: skip
        lamp_shape.name = f"Lampe {key}{' an' if on else ''}"


def count_circle(slide: Slide, x: float, y: float, d: float, count: int, status: str, label: str):
    """A coloured circle with a count and a label below (the members' traffic lights)."""
    c = rect(slide, x, y, d, d, STATUS_RGB[status], MSO_SHAPE.OVAL)
    fill_text(c.text_frame, [str(count)], 24, bold=True, color=STATUS_TEXT_RGB[status],
              align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE, margin=0)  # fmt: skip
    text_box(slide, x - 0.2, y + d + 0.03, d + 0.4, 0.3, [label], 12, color=GREY,
             align=PP_ALIGN.CENTER)  # fmt: skip


def table(
    slide: Slide,
    x: float,
    y: float,
    widths: Sequence[float],
    rows: Sequence[Sequence[str]],
    *,
    size: float = 12,
    row_height: float = 0.36,
    header: bool = True,
    right: Sequence[int] = (),
    fills: dict[tuple[int, int], tuple[RGBColor, RGBColor]] | None = None,
    bold_rows: Sequence[int] = (),
):
    """A native, editable table: light banding, bold header, ``right``-aligned columns.

    ``fills`` maps (row, column) to (background, text colour), e.g. for traffic-light cells.
    """
    shape = slide.shapes.add_table(
        len(rows), len(widths), Inches(x), Inches(y), Inches(sum(widths)),
        Inches(row_height * len(rows)),
    )  # fmt: skip
    tbl = shape.table
    tbl.first_row = header
    tbl.horz_banding = False
    for j, w in enumerate(widths):
        tbl.columns[j].width = Inches(w)
    for i, values in enumerate(rows):
        tbl.rows[i].height = Inches(row_height)
        is_header = header and i == 0
        for j, value in enumerate(values):
            cell = tbl.cell(i, j)
            bg, ink = (fills or {}).get((i, j), (None, None))
            cell.fill.solid()
            cell.fill.fore_color.rgb = bg or (
                RGBColor(0xE4, 0xE4, 0xE4) if is_header else WHITE if i % 2 else LIGHT
            )
            align = PP_ALIGN.RIGHT if j in right else PP_ALIGN.LEFT
            fill_text(cell.text_frame, [value], size, bold=is_header or i in bold_rows,
                      color=ink or DARK, align=align, anchor=MSO_ANCHOR.MIDDLE)  # fmt: skip
            cell.margin_left = cell.margin_right = Inches(0.08)
    return shape


def notes(slide: Slide, text: str) -> None:
    """Speaker notes of a slide."""
    slide.notes_slide.notes_text_frame.text = text
