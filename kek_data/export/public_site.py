"""The public view as a self-contained static website (``python -m kek_data export public``).

Why: the city publishes the network's progress on its own web server, without the dashboard.
The site shows exactly what the public page "Fortschritt des Netzwerks" shows for
:data:`~kek_data.viewer.PUBLIC` — from the same report snapshot, the same wording
(:mod:`kek_data.public_view`), the same chart (``figures.build_from``) and text alternative
(:mod:`kek_data.chart_text`) — plus per chart an interactive Plotly page for an iframe, PNG, SVG
(:func:`images.render`), its data as CSV (:func:`tables.to_csv`) and the embed code. It is built
in a temporary directory next to the target and swapped in at once (a reader never sees half a
site); :func:`refresh` rebuilds only when the public content changed (:data:`FINGERPRINT`).
Values in [t CO₂e].
"""

from __future__ import annotations

import ctypes
import hashlib
import html
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import plotly.graph_objects as go
import plotly.offline

from kek_data import (
    chart_screen,
    chart_text,
    config,
    db,
    factor_years,
    frozen_reports,
    public_view,
    views,
)
from kek_data import report as report_module
from kek_data.charts import DEMO_NOTICE
from kek_data.errors import ExportCommandError, ReportError
from kek_data.export import figures, images, tables
from kek_data.numbers import format_number
from kek_data.report import Report
from kek_data.viewer import PUBLIC
from kek_data.wording import DEMO_TEXT

#: Changed with the layout: :func:`refresh` then rebuilds sites made by an older version.
SITE_VERSION = "1"
FINGERPRINT = ".fingerprint"
CHARTS = "diagramme"
PLOTLY_JS = "plotly.min.js"
MEMBERS_CSV = "mitglieder_namentlich.csv"
#: The charts of the public page, in its order.
PUBLIC_CHARTS = ("netzwerk",)
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}
#: The publication time is Dortmund's ("06:41 Uhr"), not the server's.
BERLIN = ZoneInfo("Europe/Berlin")
_WRITE = threading.Lock()
_BOLD = re.compile(r"\*\*(.+?)\*\*")

#: The site's style sheet, written as :data:`STYLE` (from 390 px wide: cards for tables).
CSS = Path(__file__).with_name("public_site.css").read_text(encoding="utf-8")
STYLE = "stil.css"


@dataclass
class Content:
    """Everything the site shows, read once from the public report (``rep`` None: no data)."""

    rep: Report | None
    charts: dict[str, go.Figure] = field(default_factory=dict)
    factor_note: str = ""
    factors: list[dict] = field(default_factory=list)

    @property
    def demo(self) -> bool:
        return bool(self.rep and self.rep.ctx.demo)


def content(con: duckdb.DuckDBPyConnection) -> Content:
    """The public content of the live data: the report of :data:`PUBLIC`, its charts, and the
    factor note and sources as the public page and the deck's "Quellen" slide read them."""
    if frozen_reports.stand(con).frozen:  # Berichtsstände are not public (check_viewer)
        raise ExportCommandError(
            "Die öffentliche Seite zeigt nur die Live-Daten; diese Datei ist ein Berichtsstand."
        )
    try:
        rep = report_module.build(con, PUBLIC)
    except ReportError:  # no emissions yet: the page says "Noch keine Daten veröffentlicht."
        return Content(None)
    charts = {}
    if not public_view.withheld(rep):
        charts = {name: figures.build_from(rep, name) for name in PUBLIC_CHARTS}
    # as the public page: marks over all members' data (ui.data.factor_note), location basis
    note = factor_years.page_note(con)
    factors = views.factors_for_year(db.query_df(con, "factors"), rep.year)
    return Content(rep, charts, note, factors)


def fingerprint(c: Content) -> str:
    """sha256 of the public content: the start page as it would be written (figures, the named
    members, texts, sources, Stand, demo; without the publication time) and the charts.

    Consents count through what they change in public (a member named or not); the levels of
    members not named are left out on purpose: the hash lies on the public server, and with
    the public page an outsider could try the 2ⁿ combinations "intern"/"nur im Gesamtwert".
    """
    parts = [SITE_VERSION, CSS, index_html(c, "")]
    parts += [fig.to_json() for fig in c.charts.values()]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _md(text: str) -> str:
    """Escaped text with Markdown **bold** as <strong>."""
    return _BOLD.sub(r"<strong>\1</strong>", _e(text))


def _table(df: pd.DataFrame, caption: str, cards: bool = True, shown: bool = True) -> str:
    """An HTML table of display text (German numbers); on a phone one card per row; the
    caption visible, or (``shown=False``: a heading says it) for screen readers only."""
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in df.columns)
    rows = []
    for row in df.itertuples(index=False):
        cells = []
        for col, value in zip(df.columns, row, strict=True):
            text = "–" if value is None or value != value else str(value)
            numeric = bool(re.fullmatch(r"[-+−]?[\d.]+(,\d+)?( %)?|–", text))
            cls = ' class="n"' if numeric else ""
            cells.append(f'<td data-label="{_e(col)}"{cls}>{_e(text)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    kind = ' class="cards"' if cards else ""
    return (
        f'<div class="wrap" role="region" aria-label="{_e(caption)}" tabindex="0">'
        f'<table{kind}><caption class="{"note" if shown else "sr"}">{_e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _page(title: str, body: str, root: str, plotly: bool) -> str:
    script = f'<script src="{root}{PLOTLY_JS}" charset="utf-8"></script>' if plotly else ""
    return (
        '<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{_e(title)}</title>\n<link rel="stylesheet" href="{root}{STYLE}">\n{script}\n'
        "</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _plot(name: str, fig: go.Figure) -> tuple[str, int]:
    """The screen copy of ``fig`` as Plotly's HTML export (a div and its script) and its
    height [px]; plotly.js comes from the site's one :data:`PLOTLY_JS`."""
    screen = chart_screen.for_screen(fig)
    height = int(screen.layout.height or chart_screen.PLOT_HEIGHT)
    div = screen.to_html(
        full_html=False, include_plotlyjs=False, config=PLOTLY_CONFIG,
        div_id=f"plot-{name}", default_width="100%", default_height=f"{height}px",
    )  # fmt: skip
    title = chart_text.title_of(fig) or figures.NAMES[name]
    label = f"Diagramm: {title}. Zahlen im Text darunter und in der Tabelle."
    return f'<div class="plot" role="img" aria-label="{_e(label)}">{div}</div>', height


def _summary(c: Content, name: str, fig: go.Figure) -> str:
    """The chart's text alternative: the page's summary line, else the figure's own."""
    assert c.rep is not None
    text = public_view.network_summary(c.rep) if name == "netzwerk" else chart_text.describe(fig)
    return " · ".join(p for p in (text, chart_text.source_of(fig)) if p)


def embed_code(name: str, fig: go.Figure, height: int) -> str:
    """The iframe for the city's website, e.g. ``<iframe src="…/diagramme/netzwerk.html" …>``
    (address from ``KEK_PUBLIC_URL``, else relative to the site)."""
    base = config.public_url()
    src = f"{base}/{CHARTS}/{name}.html" if base else f"{CHARTS}/{name}.html"
    title = chart_text.title_of(fig) or figures.NAMES[name]
    return (
        f'<iframe src="{_e(src)}" title="{_e(title)}" width="100%" height="{height + 300}" '
        'style="border:0;max-width:100%" loading="lazy"></iframe>'
    )


def _chart_page(c: Content, name: str, fig: go.Figure) -> str:
    plot, _ = _plot(name, fig)
    title = chart_text.title_of(fig) or figures.NAMES[name]
    demo = f'<p class="demo small"><strong>{_e(DEMO_NOTICE)}</strong></p>' if c.demo else ""
    body = (
        f'<main>\n<h1 style="font-size:1.2rem">{_e(title)}</h1>\n{demo}\n{plot}\n'
        f'<p class="source">{_e(_summary(c, name, fig))}</p>\n'
        f'<p class="source"><a href="../index.html" target="_top">{_e(public_view.TITLE)}: '
        "alle Zahlen und Quellen</a></p>\n</main>"
    )
    return _page(title, body, "../", plotly=True)


def _chart_section(c: Content, name: str, fig: go.Figure) -> str:
    plot, height = _plot(name, fig)
    title = chart_text.title_of(fig) or figures.NAMES[name]
    data = chart_text.figure_table(fig)
    years = data[""].str.fullmatch(r"\d{4}").all() if "" in data else False
    data = data.rename(columns={"": "Jahr" if years else "Kategorie"})
    table = _table(data, "Daten des Diagramms", cards=False)
    files = [(f"{name}.png", "PNG (2560 × 1440 Pixel)"), (f"{name}.svg", "SVG (Vektorgrafik)"),
             (f"{name}.csv", "Daten als CSV (Excel: Semikolon, Dezimalkomma)"),
             (f"{name}.html", "Diagramm einzeln (zum Einbetten)"),
             (f"{name}_einbetten.txt", "Code zum Einbetten als Textdatei")]  # fmt: skip
    links = "".join(f'<li><a href="{CHARTS}/{f}">{_e(t)}</a></li>' for f, t in files)
    return (
        f'<section aria-labelledby="h-{name}">\n<h2 id="h-{name}">{_e(title)}</h2>\n{plot}\n'
        f'<p class="source">{_e(_summary(c, name, fig))}</p>\n'
        f"<details><summary>Daten des Diagramms als Tabelle</summary>{table}</details>\n"
        f'<ul class="files">{links}</ul>\n<p>Zum Einbetten in eine Website:</p>\n'
        f"<pre><code>{_e(embed_code(name, fig, height))}</code></pre>\n</section>"
    )


def _consent(rep: Report) -> str:
    levels = "".join(
        f"<li><strong>{_e(label)}</strong>: {_e(text)}</li>"
        for label, text in public_view.CONSENT_LEVELS
    )
    return (
        f"<p>{_e(public_view.consent_intro(rep))}</p>\n<ul>{levels}</ul>\n"
        f"<p>{_e(public_view.MIN_CONTRIBUTORS_RULE)}</p>"
    )


def _sources(c: Content) -> str:
    rep = c.rep
    assert rep is not None
    rows = pd.DataFrame(
        {
            "Energieträger": [f["name"] for f in c.factors],
            "Faktor [g CO₂e/kWh]": [format_number(f["g_co2e_per_kwh"], 1) for f in c.factors],
            "gültig ab": [str(f["valid_from"]) for f in c.factors],
            "Status": [f["status"] for f in c.factors],
            "Quelle": [f["source"] for f in c.factors],
        }
    )
    notes = ""  # the factor note stands under the chart, as on the page
    if rep.network_target:
        notes = f'<p class="note">{_e(f"Netzwerkziel: {rep.network_target.source}")}</p>'

    caption = f"Emissionsfaktoren {rep.year} ({rep.basis_label})"
    return f'<h2 id="quellen">Quellen</h2>\n{_table(rows, caption)}\n{notes}'


def index_html(c: Content, published: str) -> str:
    """The site's start page (German, from 390 px wide)."""
    rep = c.rep
    parts = [f"<header>\n<h1>{_e(public_view.TITLE)}</h1>\n<p>{_e(public_view.INTRO)}</p>"]
    if c.demo:
        parts.append(f'<p class="demo" role="note">{_md(DEMO_TEXT)}</p>')
    parts.append("</header>\n<main>")
    if rep is None:
        parts.append(f"<p>{_e(public_view.NO_DATA)}</p>")
    else:
        parts.append(
            f"<p><strong>Stand:</strong> {_e(rep.ctx.as_of)} · Berichtsjahr "
            f"<strong>{rep.year}</strong><br><strong>Vollständigkeit:</strong> "
            f"{_e(rep.coverage_text())}</p>"
        )
        if withheld := public_view.withheld(rep):
            parts.append(f'<p class="info" role="note">{_e(withheld)}</p>')
        else:
            tiles = "".join(
                f"<div><dt>{_e(m.label)}</dt><dd>{_e(m.value)}</dd></div>"
                for m in public_view.metrics(rep)
            )
            parts.append(f'<p class="note">{_e(public_view.KPI_CAPTION)}</p>')
            parts.append(f'<dl class="metrics">{tiles}</dl>')
        parts += [_chart_section(c, n, f) for n, f in c.charts.items()]
        if c.factor_note:
            parts.append(f'<p class="note">{_e(c.factor_note)}</p>')
        parts.append(f"<h2>{_e(public_view.NAMED_SECTION)}</h2>")
        table = views.member_table(rep)
        if table.empty:
            parts.append(f"<p>{_e(public_view.NONE_NAMED)}</p>")
        else:
            parts.append(_table(views.german(table), public_view.NAMED_SECTION, shown=False))
            parts.append(f'<p><a href="{MEMBERS_CSV}">Tabelle als CSV</a></p>')
        parts += [_consent(rep), _sources(c)]
    as_of = rep.ctx.as_of if rep else "–"
    parts.append(
        f'</main>\n<footer>\n<p class="note">Quelle: KEK-Klimadashboard · Stand der Daten: '
        f"{_e(as_of)} · Stand der Veröffentlichung: {_e(published)}</p>\n</footer>"
    )
    return _page(public_view.TITLE, "\n".join(parts), "", plotly=bool(c.charts))


def _files(c: Content, published: str) -> dict[str, bytes]:
    """Relative path → bytes of every file of the site."""
    out = {"index.html": index_html(c, published).encode("utf-8"), STYLE: CSS.encode("utf-8")}
    if c.charts:
        out[PLOTLY_JS] = plotly.offline.get_plotlyjs().encode("utf-8")
    for name, fig in c.charts.items():
        _, height = _plot(name, fig)
        out[f"{CHARTS}/{name}.html"] = _chart_page(c, name, fig).encode("utf-8")
        out[f"{CHARTS}/{name}.png"] = images.render(fig, "png")
        out[f"{CHARTS}/{name}.svg"] = images.render(fig, "svg")
        out[f"{CHARTS}/{name}.csv"] = tables.to_csv(chart_text.figure_values(fig), demo=c.demo)
        out[f"{CHARTS}/{name}_einbetten.txt"] = (embed_code(name, fig, height) + "\n").encode()
    if c.rep is not None and not (table := views.member_table(c.rep)).empty:
        out[MEMBERS_CSV] = tables.to_csv(table, demo=c.demo)
    return out


def check_target(out: Path) -> Path:
    """The output directory, checked before any work (German :class:`ExportCommandError`)."""
    out = Path(out)
    if not out.parent.is_dir():
        raise ExportCommandError(f"Das Verzeichnis {out.parent} gibt es nicht.")
    if out.exists() and not out.is_dir():
        raise ExportCommandError(f"{out} ist eine Datei; bitte ein Verzeichnis angeben.")
    if out.is_dir() and any(out.iterdir()) and not (out / FINGERPRINT).exists():
        raise ExportCommandError(
            f"{out} enthält andere Dateien und keine öffentliche Seite; bitte ein leeres oder "
            "neues Verzeichnis angeben (es wird beim Schreiben ganz ersetzt)."
        )
    return out


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step (Linux ``renameat2`` RENAME_EXCHANGE); False if the
    system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def write(c: Content, out: Path, published: datetime | None = None) -> Path:
    """Write the site of ``c`` to ``out``: built next to it, then swapped in whole."""
    with _WRITE:  # one writer per process (a page's button and data_changed at once)
        return _write(c, check_target(out), published)


def _write(c: Content, out: Path, published: datetime | None) -> Path:
    when = (published or datetime.now(BERLIN)).strftime("%d.%m.%Y, %H:%M Uhr")
    files = _files(c, when)  # images first: a render error leaves nothing behind
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-neu-", dir=out.parent))
    try:
        for rel, data in files.items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_bytes(data)
        (tmp / FINGERPRINT).write_text(fingerprint(c) + "\n", encoding="utf-8")
        tmp.chmod(0o755)
        if not out.exists():
            tmp.rename(out)
        elif _exchange(tmp, out):
            shutil.rmtree(tmp)  # now the old site
        else:  # not atomic: a moment without the directory
            old = tmp.with_name(tmp.name + "-alt")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ExportCommandError(f"{out} lässt sich nicht schreiben: {exc.strerror}.") from exc
    return out


def build(con: duckdb.DuckDBPyConnection, out: Path) -> Path:
    """Write the public site of the live data to ``out`` (always)."""
    check_target(out)
    return write(content(con), out)


def refresh(con: duckdb.DuckDBPyConnection, out_dir: Path) -> bool:
    """Rebuild the site in ``out_dir`` only when the public content changed; True if rebuilt."""
    c = content(con)
    stored = Path(out_dir) / FINGERPRINT
    if stored.is_file() and stored.read_text(encoding="utf-8").strip() == fingerprint(c):
        return False
    write(c, Path(out_dir))
    return True
