"""The meeting deck ("Sitzungsfoliensatz"): a 16:9 PPTX with the figures of one reporting year.

Why: the network manager reports to network meetings and the council's committees; one click must
give a sober, editable deck in German with the numbers of the moment. Slides: title, network
overview (key figures), network path, one slide per chosen member (chart, key figures, traffic
light), comparison (table, rates chart, gaps chart), "Pfad & Lücke" (what it takes, carbon budget),
methodology, sources (emission factors of the year from the database). Charts are high-resolution
PNGs of the figures the dashboard shows (:mod:`kek_data.export.figures`); all text is real text
boxes and tables. With demo data every slide carries the red demo badge.
Values in [t CO₂e], rates in [%/a] or [t CO₂e/a].
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kek_data import (
    db,
    factor_years,
    formulas,
    methodology,
    progress,
    report,
    rounds,
    scope2,
    status,
    views,
)
from kek_data import wording as wd
from kek_data.export import figures, images, slides
from kek_data.export.slides import GREY, STATUS_INK, STATUS_RGB, STATUS_TEXT_RGB, Run
from kek_data.numbers import format_count, format_date, format_number
from kek_data.report import Report
from kek_data.viewer import Viewer

Progress = Callable[[float, str], None]
Box = tuple[float, float, float, float]  # x, y, width, height [in]
TITLE = "Sitzungsfoliensatz"
#: Layout pixels per inch of slide: 14 px chart text ≈ 11.5 pt on the slide.
PX_PER_INCH = 88
SCALE = 2  # raster pixels per layout pixel (≈ 180 dpi on the slide)
FULL: Box = (slides.LEFT, 1.3, slides.RIGHT - slides.LEFT, 5.6)
SIDE: Box = (slides.LEFT, 1.62, 8.0, 5.3)
BUDGET: Box = (6.55, 1.45, slides.RIGHT - 6.55, 4.0)
#: Most open actions on the slide „Offene Aufgaben …“ (the rest: the page Netzwerkarbeit).
MAX_ACTIONS = 10


def size_of(box: Box) -> images.Size:
    """Render size of a chart for a picture box (same aspect ratio)."""
    return images.Size(round(box[2] * PX_PER_INCH), round(box[3] * PX_PER_INCH), SCALE)


def choose_members(snap: Report, members: Sequence[str] | None) -> list[str]:
    """Chosen member ids in the network's order (None = all the viewer sees); checks each id."""
    if members is None:
        return list(snap.member)
    wanted = {str(m).strip() for m in members if str(m).strip()}
    for member_id in sorted(wanted):
        snap.find(member_id)  # raises UnknownMember / AccessDenied
    return [m for m in snap.member if m in wanted]


def plan(snap: Report, chosen: list[str]) -> dict[str, tuple[go.Figure, Box, str]]:
    """key → (figure, picture box, label) of every chart in the deck."""
    return dict(_planned(snap, chosen))


def _planned(snap: Report, chosen: list[str]) -> Iterator[tuple[str, tuple[go.Figure, Box, str]]]:
    """The charts of :func:`plan` one by one in slide order, each as soon as it is built."""
    withheld = views.total_withheld(snap)  # no network chart, no budget: see access.total_shown
    if not withheld:
        yield "netzwerk", (figures.build_from(snap, "netzwerk"), FULL, "Netzwerk")
    for member_id in chosen:
        if snap.kpis[member_id].latest_year is not None:
            label = snap.find(member_id).short_name
            yield member_id, (figures.build_from(snap, "mitglied", member_id), SIDE, label)
    if chosen:
        raten = figures.build_from(snap, "vergleich-raten", chosen=chosen)
        yield "raten", (raten, FULL, "Vergleich")
        if not views.gap_table(snap, chosen).empty:
            luecke = figures.build_from(snap, "luecke", chosen=chosen)
            yield "luecke", (luecke, FULL, "Abstand zum Pfad")
    if snap.network.budget is not None and not withheld:
        yield "budget", (figures.build_from(snap, "budget"), BUDGET, "CO₂-Budget")
    if progress.NETWORK in snap.wedges:  # only where the network total shows (wedge_build)
        keile = figures.build_from(snap, "massnahmen")
        yield "massnahmen", (keile, SIDE, "Maßnahmen gegen die Lücke")


class _Pictures(Mapping[str, bytes]):
    """The chart PNGs of a deck: rendered by an :class:`images.Batch` while the slides are set,
    each fetched (and reported by ``step``) when its slide needs it."""

    def __init__(self, batch: images.Batch, labels: dict[str, str], step: Progress) -> None:
        self._batch, self._labels, self._step = batch, labels, step
        self._got: dict[str, bytes] = {}

    def __getitem__(self, key: str) -> bytes:
        if key not in self._got:
            done, label = len(self._got), self._labels[key]  # KeyError: no such chart
            text = f"Diagramm {done + 1} von {len(self._labels)}: {label}"
            self._step(0.1 + 0.8 * done / len(self._labels), text)
            self._got[key] = self._batch.get(key)
        return self._got[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


def build_deck(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    *,
    year: int | None = None,
    members: Sequence[str] | None = None,
    meeting_date: date | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The PPTX bytes of the deck for ``viewer``; ``progress(fraction, text)`` reports each step.

    ``year`` defaults to the newest year with data, ``members`` to every member the viewer may
    see (``[]``: no member slides), ``meeting_date`` to today.
    """
    step = progress or (lambda fraction, text: None)
    step(0.0, "Daten werden geladen …")
    snap = report.build(con, viewer, year)
    chosen = choose_members(snap, members)
    with images.Batch() as batch:  # the charts render while the next ones and the slides are built
        step(0.05, "Diagramme werden erzeugt …")
        charts: dict[str, tuple[go.Figure, Box, str]] = {}
        for key, (fig, box, label) in _planned(snap, chosen):
            charts[key] = (fig, box, label)
            batch.submit(key, fig, "png", size_of(box))
        pngs = _Pictures(batch, {key: chart[2] for key, chart in charts.items()}, step)
        deck = _Deck(snap, meeting_date or date.today(), charts, pngs)
        deck.electricity = {(r.member_id, r.year): r for r in scope2.years(con, viewer)}
        deck.reasons = rounds.deck_reasons(con, viewer, snap)  # issue 12: Begründung (Runde)
        deck.mark_stand(con)  # issue 12: Live-Daten or Berichtsstand, on the title and footers
        deck.title_slide(len(chosen))
        deck.overview()
        deck.chart_slide("Netzwerk: Emissionen und Zielpfad", "netzwerk")
        for member_id in chosen:
            deck.member_slide(member_id)
        if chosen:
            deck.comparison(chosen)
            deck.chart_slide("Vergleich: Minderung pro Jahr", "raten", views.rates_note(snap))
            deck.chart_slide(f"Abstand der Mitglieder zum eigenen Zielpfad {snap.year}", "luecke")
        deck.path_and_gap()
        deck.wedge_slide()  # issue 12: Maßnahmen gegen die Lücke
    step(0.9, "Folien werden gesetzt …")
    deck.open_actions(con, viewer)  # issue 12: Offene Aufgaben seit dem letzten Treffen
    deck.methodology()
    shown = [r for r in factor_years.read(con, viewer) if r.year <= snap.year]
    deck.sources(db.query_df(con, "factors"), factor_years.note(factor_years.lines(shown)))
    slides.number_pages(deck.prs)
    buffer = io.BytesIO()
    deck.prs.save(buffer)
    step(1.0, f"Fertig: {len(deck.prs.slides)} Folien.")
    return buffer.getvalue()


#: What one column of a Methodik slide holds at 11 pt [characters], and what a paragraph's
#: break and spacing cost in it [characters] (measured on the rendered slide, LibreOffice).
METHOD_COLUMN_CHARS, METHOD_PARA_CHARS = 2000, 90


class _Deck:
    """The slides of one deck, in order."""

    def __init__(self, snap: Report, meeting: date, charts: dict, pngs: Mapping) -> None:
        self.snap, self.meeting, self.charts, self.pngs = snap, meeting, charts, pngs
        self.prs = slides.new_presentation()
        self.demo = snap.ctx.demo
        self.electricity: dict[tuple[str, int], scope2.Scope2Year] = {}
        self.reasons: dict[str, str] = {}  # member id → Begründung of the round (behind path)
        self.footer = (
            f"KEK-Klimadashboard Dortmund · {TITLE} · Berichtsjahr {snap.year} · "
            f"Datenstand {snap.ctx.as_of}"
        )
        props = self.prs.core_properties
        props.title = f"KEK-Netzwerk: {TITLE} Berichtsjahr {snap.year}"
        props.author = "KEK-Klimadashboard"
        props.subject = f"Netzwerktreffen am {format_date(meeting)}"
        props.keywords = "Demodaten (fiktiv)" if self.demo else "KEK Dortmund"

    #: "Live-Daten (Stand …)" or "Berichtsstand 2025, eingefroren am … von …" (mark_stand)
    stand_label = ""

    def mark_stand(self, con: duckdb.DuckDBPyConnection) -> None:
        """Say on the title slide and in every footer which data the deck shows: the live
        data or a frozen Berichtsstand (:func:`kek_data.frozen_reports.stand`)."""
        from kek_data import frozen_reports

        found = frozen_reports.stand(con)
        self.stand_label = found.label
        if found.frozen:
            self.footer += f" · Berichtsstand {found.year} (Nr. {found.freeze_id})"

    def slide(self, title: str, subtitle: str = ""):
        return slides.frame_slide(self.prs, title, self.footer, self.demo, subtitle)

    def picture(self, s, key: str, box: Box | None = None) -> bool:
        """Place chart ``key`` (False if the deck has none, e.g. no data)."""
        if key not in self.pngs:
            return False
        fig, planned, _ = self.charts[key]
        alt = fig.layout.title.text or key
        slides.picture(s, self.pngs[key], *(box or planned), alt=alt)
        return True

    def withheld(self, s) -> bool:
        """Write "Netzwerksumme …: nicht ausgewiesen …" on ``s`` if the viewer may not see it."""
        if views.total_withheld(self.snap):
            lines = [f"{views.withheld_text(self.snap)}.", self.snap.coverage_text()]
            slides.text_box(s, slides.LEFT, 1.45, slides.RIGHT - slides.LEFT, 1.2, lines, 18)
        return views.total_withheld(self.snap)

    def title_slide(self, n_members: int) -> None:
        snap, s = self.snap, self.prs.slides.add_slide(self.prs.slide_layouts[0])
        slides.rect(s, 0.5, 1.6, 0.12, 3.6, slides.ACCENT)
        kek = "Konsultationskreis Energieeffizienz und Klimaschutz (KEK) Dortmund"
        slides.text_box(s, 0.85, 1.5, 11.5, 0.5, [kek], 18, color=GREY)
        head, sub = s.shapes.title, s.placeholders[1]
        for shape, y, h in ((head, 2.05, 1.4), (sub, 3.55, 1.7)):
            shape.left, shape.top, shape.width, shape.height = slides.box(0.85, y, 11.5, h)
        head_text = f"Klimaschutz im KEK-Netzwerk: Stand {snap.year}"
        slides.fill_text(head.text_frame, [head_text], 40, bold=True)
        detail = (
            f"{format_count(n_members, 'Mitglied', 'Mitglieder')} im Detail"
            if n_members
            else "Netzwerk gesamt"
        )
        lines = [
            f"{TITLE} für das Netzwerktreffen am {format_date(self.meeting)}",
            f"Berichtsjahr {snap.year} · Datenstand {snap.ctx.as_of} · {detail}",
            f"{snap.basis_label} · marktbasierter Strom im Datenpaket",
            *([self.stand_label] if self.stand_label else []),
        ]
        slides.fill_text(sub.text_frame, lines, 20, color=GREY, space_after=6)
        if self.demo:
            box = slides.rect(s, 0.85, 5.55, 11.5, 0.95, slides.DEMO_RED)
            text = [
                Run("DEMODATEN (FIKTIV) – ", bold=True),
                Run("alle Werte und Ziele sind erfunden und dienen nur der Vorführung. "),
                Run("Nicht für Beschlüsse verwenden."),
            ]
            slides.fill_text(box.text_frame, [text], 18, color=slides.WHITE, margin=0.2,
                             anchor=slides.MIDDLE)  # fmt: skip
            box.name = "Demohinweis"
        slides.text_box(s, 0.85, 6.9, 11.5, 0.35, ["Quelle: KEK-Klimadashboard"], 11, color=GREY)

    def overview(self) -> None:
        snap, k = self.snap, self.snap.network
        s = self.slide(f"Netzwerk im Überblick {snap.year}")
        if self.withheld(s):
            if snap.kpis:
                self._status_circles(s, slides.LEFT + 0.35, 3.2)
            return
        first = views.first_reference_year(snap)
        step = k.step(first) if first else None
        y0, h, gap = 1.45, 2.4, 0.3
        w = (slides.RIGHT - slides.LEFT - 2 * gap) / 3
        spots = [(slides.LEFT + (i % 3) * (w + gap), y0 + (i // 3) * (h + gap)) for i in range(6)]
        tiles = [
            (f"Emissionen {k.latest_year}", wd.t(k.latest), snap.coverage_text()),
            (f"Veränderung seit {k.base_year}", wd.change(k.change_pct),
             f"Basisjahr {k.base_year}: {wd.t(k.base)}"),
            (f"Abstand zum Netzwerkpfad {k.latest_year}", wd.signed_t(k.gap_latest),
             f"Pfad {k.latest_year}: {wd.t(k.path_latest)} · "
             f"Ampel: {status.LIGHTS[k.status].word}"),
            (f"Nötige Minderung bis {first}", wd.rate(step and step.required_pct),
             f"= {wd.t_rate(step and step.required)} bis zum Pfadwert "
             f"{wd.t(step and step.path)}; {k.rate_basis}"),
            (f"Erreicht (Ø der {wd.LAST_YEARS})", wd.rate(k.achieved_pct),
             f"= {wd.t_rate(k.achieved)}; {k.rate_basis}" if k.achieved
             else "weniger als zwei Jahre Daten"),
        ]  # fmt: skip
        for i, (label, value, note) in enumerate(tiles):
            bar = STATUS_RGB[k.status] if i == 2 else slides.ACCENT
            slides.kpi_tile(s, *spots[i], w, h, label, value, note, bar)
        x, y = spots[5]
        if snap.viewer.sees_member_data and snap.kpis:
            slides.kpi_tile(s, x, y, w, h, f"Ampel der Mitglieder {snap.year}", "", "", GREY)
            self._status_circles(s, x + 0.35, y + 0.62)
        else:
            note = (
                f"Trendwert {first}: {wd.t(step and step.projected)} "
                f"(Pfad: {wd.t(step and step.path)})"
            )
            label = "Null erreicht beim jetzigen Tempo"
            slides.kpi_tile(s, x, y, w, h, label, wd.zero_year(k.zero_year), note)
        parts = snap.decomposed(progress.NETWORK)  # own effort vs grid mix, where totals show
        if parts is not None:
            line = [[Run("Eigene Minderung und Strommix: ", bold=True), Run(parts.text())]]
            slides.text_box(s, slides.LEFT, 6.6, slides.RIGHT - slides.LEFT, 0.4, line, 13)

    def _status_circles(self, s, x: float, y: float) -> None:
        counts = self.snap.lights
        keys = [key for key in status.LIGHTS if counts.get(key)]
        keys = keys or [status.GREEN, status.YELLOW, status.RED]
        step = 1.1 if len(keys) <= 3 else 0.85
        for i, key in enumerate(keys):
            word = status.LIGHTS[key].word
            slides.count_circle(s, x + i * step, y, 0.8, counts.get(key, 0), key, word)
        note = (
            "Alle Mitglieder"
            if self.snap.viewer.sees_all_members
            else "Die Mitglieder dieser Ansicht"
        ) + ", jeweils im gezählten Jahr am eigenen Zielpfad gemessen"
        slides.text_box(s, x - 0.05, y + 1.2, 3.4, 0.5, [note], 12, color=GREY)

    def chart_slide(self, title: str, key: str, note: str = "") -> None:
        s = self.slide(title)
        if not self.picture(s, key):
            text = [
                f"{views.withheld_text(self.snap)}."
                if key == "netzwerk" and views.total_withheld(self.snap)
                else "Für diese Auswahl liegen keine Daten vor."
            ]
            slides.text_box(s, slides.LEFT, 1.5, 12.3, 1, text, 18)
        if note:
            slides.notes(s, note)

    def member_slide(self, member_id: str) -> None:
        snap = self.snap
        row = snap.find(member_id)
        k, target = row.kpi, row.target
        goal = f"Ziel: {target.describe()}" if target else "Ziel: noch nicht vereinbart"
        s = self.slide(row.name, " · ".join(p for p in (views.sector(row), goal) if p))
        if not self.picture(s, member_id):
            text = [f"Für {row.short_name} liegen bis {snap.year} keine Daten vor."]
            slides.text_box(s, slides.LEFT, 1.7, 12.3, 1, text, 18)
            return
        x = SIDE[0] + SIDE[2] + 0.3
        w = slides.RIGHT - x
        first = views.first_reference_year(snap)  # the same year as the comparison table
        nxt = (k.step(first) if first else None) or k.next_step()
        slides.traffic_light(s, x, 1.75, k.status)
        light = [
            [Run(f"Ampel {k.latest_year}: "),
             Run(status.LIGHTS[k.status].word.upper(), bold=True, color=STATUS_INK[k.status])],
            [Run(status.LIGHTS[k.status].text, size=13, color=GREY)],
        ]  # fmt: skip
        slides.text_box(s, x + 0.75, 1.72, w - 0.75, 1.3, light, 20, space_after=4)
        self.reason_box(s, member_id, x, w)
        rows = [
            [f"Emissionen {k.latest_year}", wd.t(k.latest)],
            [f"Veränderung seit {k.base_year}", wd.change(k.change_pct)],
            [f"Zielpfad {k.latest_year}", wd.t(k.path_latest)],
            ["Abstand zum Pfad", wd.signed_t(k.gap_latest)],
            [f"Nötig bis {nxt.year}" if nxt else "Nötig", wd.rate(nxt and nxt.required_pct)],
            [f"Erreicht (Ø {formulas.WINDOW} Jahre)", wd.rate(k.achieved_pct)],
            list(wd.zero_years_short(k.zero_years)),
        ]
        row_h = 0.34  # seven rows end at 5,6 in; the notes below get 1,25 in (≈ 7 lines)
        slides.table(s, x, 3.2, [w * 0.5, w * 0.5], rows, size=13, row_height=row_h,
                     header=False, right=(1,))  # fmt: skip
        parts = snap.decomposed(member_id)
        foot = [parts.text()] if parts is not None else []
        power = self.electricity.get((member_id, k.latest_year or -1))
        if power is not None and power.contract_kwh and not views.is_pseudonym(row):
            foot.append(scope2.short(power))
        foot += [
            f"Nötig: {wd.t_rate(nxt and nxt.required)}, erreicht: {wd.t_rate(k.achieved)}; "
            f"Prozent: {k.rate_basis}."
        ]
        if row.partial_years:
            years = ", ".join(str(y) for y in sorted(row.partial_years))
            foot.append(f"Schraffiert: nur teilweise gemeldet ({years}).")
        if target:
            foot.append(f"Quelle des Ziels: {target.source}")
        if foot:
            top = 3.2 + len(rows) * row_h + 0.1
            slides.text_box(s, x, top, w, 6.95 - top, foot, 10, color=GREY)
        state, missing = row.state, row.missing_carriers
        text = f"Meldung {snap.year}: {state}" + (f" (es fehlen: {missing})" if missing else "")
        if k.latest_year != snap.year:
            text += f"; Kennzahlen aus {k.latest_year}, dem letzten vollständigen Jahr"
        slides.notes(s, f"{text}. {goal}." + (f" Quelle: {target.source}" if target else ""))

    def reason_box(self, s, member_id: str, x: float, w: float) -> None:
        """The member's Begründung of the reporting round (it is behind its own path;
        :func:`kek_data.rounds.deck_reasons`): a small box beside the traffic light, under its
        words (at most 170 characters; the page Berichtsrunde has the full text)."""
        text = self.reasons.get(member_id, "")
        if text:
            short = text if len(text) <= 170 else text[:169].rstrip() + "…"
            line = [Run(f"Begründung {self.snap.year}: ", bold=True), Run(short)]
            slides.text_box(s, x + 0.75, 2.42, w - 0.75, 0.76, [line], 9).name = "Begründung"

    def comparison(self, chosen: list[str]) -> None:
        snap = self.snap
        first = views.first_reference_year(snap)
        head = ["Mitglied", f"Emissionen {snap.year}", "Veränderung seit Basisjahr",
                "Abstand zum Pfad", "Ampel", "Erreicht pro Jahr", f"Nötig bis {first}"]  # fmt: skip
        body = [(m, snap.kpis[m], snap.find(m).short_name) for m in chosen]
        if not views.total_withheld(snap):
            body.append(("netzwerk", snap.network, "Netzwerk gesamt"))
        chunks = [body[i : i + 12] for i in range(0, len(body), 12)]
        for n, chunk in enumerate(chunks, start=1):
            more = f" ({n}/{len(chunks)})" if len(chunks) > 1 else ""
            s = self.slide(f"Mitglieder im Vergleich {snap.year}{more}")
            rows, fills, bold = [head], {}, []
            for i, (owner, k, name) in enumerate(chunk, start=1):
                latest = wd.t(k.latest)
                if k.latest_year is not None and k.latest_year != snap.year:
                    latest += f" ({k.latest_year})"
                step = k.step(first) if first else None
                rows.append([name, latest, wd.change(k.change_pct), wd.signed_t(k.gap_latest),
                             status.LIGHTS[k.status].word, wd.rate_cell(k.achieved_pct),
                             wd.rate_cell(step and step.required_pct)])  # fmt: skip
                fills[(i, 4)] = (STATUS_RGB[k.status], STATUS_TEXT_RGB[k.status])
                if owner == "netzwerk":
                    bold.append(i)
            slides.table(s, slides.LEFT, 1.35, [2.4, 2.0, 1.85, 1.95, 1.05, 1.55, 1.53], rows,
                         size=13, row_height=0.38, right=(1, 2, 3, 5, 6), fills=fills,
                         bold_rows=bold)  # fmt: skip
            note = (
                f"{snap.coverage_text()}. Emissionen und Abstand in t CO₂e; Veränderung gegenüber "
                f"dem eigenen Basisjahr. {status.legend()} Erreicht (Ø der {wd.LAST_YEARS}) und "
                f"nötig (bis zum eigenen Pfadwert {first}): Minderung pro Jahr in % der Emissionen "
                "des Jahres in Klammern bzw. des Berichtsjahres."
            )
            slides.text_box(s, slides.LEFT, 6.25, 12.3, 0.7, [note], 11, color=GREY)

    def path_and_gap(self) -> None:
        snap, k = self.snap, self.snap.network
        s = self.slide(f"Pfad & Lücke {snap.year}", snap.coverage_text())
        if self.withheld(s):
            return
        first = views.first_reference_year(snap)
        step = k.step(first) if first else None
        end = k.budget_end
        bullets = [
            [Run("Netzwerk: ", bold=True), Run(f"{wd.signed_t(k.gap_latest)} gegenüber dem "
             f"Netzwerkpfad (Ampel: {status.LIGHTS[k.status].word}).")],
            [Run(f"Bis {first} nötig: ", bold=True), Run(f"{wd.t_rate(step and step.required)} "
             f"({wd.rate(step and step.required_pct, k.rate_basis)}); erreicht im Ø der "
             f"{wd.last_years(k.latest_year)} {wd.t_rate(k.achieved)} "
             f"({wd.rate(k.achieved_pct, k.rate_basis)}).")],
            [Run("Beim jetzigen Tempo: ", bold=True), Run(f"{first} noch "
             f"{wd.t(step and step.projected)} (Pfad: {wd.t(step and step.path)}). Null im "
             f"Trend: {wd.zero_years(k.zero_years)}.")],
        ]  # fmt: skip
        for gap in snap.ambition_gaps():
            bullets.append([Run(f"{gap.label}: ", bold=True), Run(gap.detail())])
        b = k.budget
        if b is not None and b.budget:
            bullets.append([Run(f"CO₂-Budget {k.base_year}–{end}: ", bold=True), Run(
                f"{format_number(b.used / b.budget * 100, 0)} % verbraucht ({wd.t(b.used)} "
                f"von {wd.t(b.budget)}). {wd.budget(b, end)}")])  # fmt: skip
        width = (BUDGET[0] - 0.35 if "budget" in self.pngs else slides.RIGHT) - slides.LEFT
        slides.text_box(s, slides.LEFT, 1.45, width, 5.4, bullets, 14, space_after=10)
        self.picture(s, "budget")

    def open_actions(self, con: duckdb.DuckDBPyConnection, viewer: Viewer) -> None:
        """Slide „Offene Aufgaben seit dem letzten Treffen“ (rule: :class:`network.DeckActions`):
        the actions agreed before the meeting date and open on it, overdue first, with age,
        owner, due date and measure; below, what was done since the last Netzwerktreffen. None
        for the public (network-internal) and none while the network work is empty."""
        from kek_data import network

        found = network.deck_actions(con, viewer, self.meeting)
        if found is None or not (found.previous or found.open or found.done):
            return
        day, naming, measures = self.meeting, network.naming(con, viewer), network.measures(con)
        last = found.previous
        since = (f"letztes Netzwerktreffen am {format_date(last.held_on)}" if last
                 else "noch kein Netzwerktreffen eingetragen")  # fmt: skip
        late = sum(a.overdue(day) for a in found.open)
        s = self.slide("Offene Aufgaben seit dem letzten Treffen",
                       f"Stand {format_date(day)} · {len(found.open)} offen, davon {late} "
                       f"überfällig · {since}")  # fmt: skip
        shown = found.open[:MAX_ACTIONS]
        rows = [["Aufgabe", "Verantwortlich", "vereinbart", "offen", "fällig", "Maßnahme"]]
        rows += [[a.text, network.owner_text(a, naming), format_date(a.held_on),
                  network.age_text(a.age_days(day)), network.due_text(a, day),
                  network.measure_text(measures.get(a.measure_id), viewer, naming) or "–"]
                 for a in shown]  # fmt: skip
        fills = {(i, 4): (slides.WHITE, slides.DEMO_RED)
                 for i, a in enumerate(shown, 1) if a.overdue(day)}  # fmt: skip
        if shown:
            slides.table(s, slides.LEFT, 1.6, [4.0, 2.5, 1.1, 1.4, 1.75, 1.58], rows, size=10,
                         row_height=0.36, fills=fills)  # fmt: skip
        lines = [] if shown else ["Keine offenen Aufgaben."]
        if len(found.open) > len(shown):
            lines.append(f"… und {len(found.open) - len(shown)} weitere offene Aufgaben (Seite "
                         "Netzwerkarbeit).")  # fmt: skip
        done = "; ".join(f"{a.text} – {network.owner_text(a, naming)}, {format_date(a.status_on)}"
                         for a in found.done) or "nichts"  # fmt: skip
        lines.append([Run("Seit dem letzten Netzwerktreffen erledigt: ", bold=True), Run(done)])
        y = 1.8 + 0.36 * len(rows) if shown else 1.6
        slides.text_box(s, slides.LEFT, y, slides.RIGHT - slides.LEFT, 6.9 - y, lines, 11)

    def wedge_slide(self) -> None:
        """Slide „Maßnahmen gegen die Lücke“: the network's wedge chart (:mod:`kek_data.wedge`)
        and beside it the sentence, the wedge per status in the target year and the caveat."""
        from kek_data import wedge

        snap = self.snap
        w = snap.wedges.get(progress.NETWORK)
        sub = f"Netzwerk bis {w.target_year} · {snap.coverage_text()}" if w else ""
        s = self.slide(wedge.TITLE, sub)
        if w is None:
            why = (f"{views.withheld_text(snap)}." if views.total_withheld(snap) else
                   "Kein Keil: es braucht den Netzwerkpfad mit einem Zieljahr nach dem "
                   "Berichtsjahr und einen Trend aus mindestens zwei Jahren.")  # fmt: skip
            slides.text_box(s, slides.LEFT, 1.5, 12.3, 1, [why], 18)
            return
        self.picture(s, "massnahmen")
        x = SIDE[0] + SIDE[2] + 0.3
        width = slides.RIGHT - x
        slides.text_box(s, x, 1.65, width, 1.9, [wd.wedge(w)], 14)
        rows = [[f"Keil {w.target_year}", "t CO₂e"]]
        rows += [[status, format_number(v, 0)] for status, v in w.by_status().items()]
        rows.append(["Lücke im Trend", format_number(w.gap_t, 0)])
        slides.table(s, x, 3.6, [width * 0.6, width * 0.4], rows, size=12, row_height=0.32,
                     right=(1,), bold_rows=[len(rows) - 1])  # fmt: skip
        foot = [wd.wedge_more(w)] if wd.wedge_more(w) else []
        foot.append(
            "Alle Maßnahmen der Mitglieder als Summe, auch interne. Der Trend enthält das "
            "bisherige Tempo: gezählt wird nur, was noch nicht in den gemeldeten Emissionen "
            "steckt; einzutragen sind Maßnahmen über den Trend hinaus."
        )
        top = 3.6 + len(rows) * 0.32 + 0.15
        slides.text_box(s, x, top, width, 6.95 - top, foot, 10, color=GREY)

    def methodology(self) -> None:
        """Title and short text of every section of :mod:`kek_data.methodology`, two columns a
        slide, as many slides as the text needs ("Methodik (1/3)"), then on the last what they
        mean for this database (network target, completeness)."""
        paras = [[Run(f"{m.title}. ", bold=True), Run(m.short)] for m in methodology.SECTIONS]
        sizes = [len(m.title) + len(m.short) + METHOD_PARA_CHARS for m in methodology.SECTIONS]
        n_columns = 2 * math.ceil(sum(sizes) / (2 * METHOD_COLUMN_CHARS))
        target = sum(sizes) / n_columns  # balanced columns, the last slide not nearly empty
        columns: list[list] = [[]]
        used = 0.0
        for para, size in zip(paras, sizes, strict=True):
            if columns[-1] and used + size / 2 > target and len(columns) < n_columns:
                columns.append([])
                used = 0.0
            columns[-1].append(para)
            used += size
        pages = [columns[i : i + 2] for i in range(0, len(columns), 2)]
        for n, page in enumerate(pages, 1):
            title = "Methodik" if len(pages) == 1 else f"Methodik ({n}/{len(pages)})"
            s = self.slide(title)
            for x, column in zip((slides.LEFT, 6.85), page, strict=False):
                slides.text_box(s, x, 1.3, 5.95, 4.95, column, 11, space_after=5)
        facts = methodology.facts(self.snap)
        slides.text_box(s, slides.LEFT, 6.3, slides.RIGHT - slides.LEFT, 0.68, facts, 10,
                        color=GREY)  # fmt: skip

    def sources(self, factors: pd.DataFrame, factor_note: str = "") -> None:
        snap = self.snap
        s = self.slide(f"Quellen: Emissionsfaktoren {snap.year}")
        rows = [["Energieträger", "g CO₂e/kWh", "gültig ab", "Status", "Quelle"]]
        for f in views.factors_for_year(factors, snap.year):
            rows.append([f["name"], format_number(f["g_co2e_per_kwh"], 1), str(f["valid_from"]),
                         f["status"], f["source"]])  # fmt: skip
        slides.table(s, slides.LEFT, 1.35, [1.75, 1.35, 1.05, 2.2, 5.98], rows, size=12,
                     row_height=0.4, right=(1, 2))  # fmt: skip
        lines = [
            "Alle Faktoren mit Zeitreihe und Herleitung: Datenpaket (Seite Export) und Seite "
            "Methodik des Dashboards."
        ]
        if snap.network_target:
            lines.insert(0, f"Netzwerkziel: {snap.network_target.source}")
        if factor_note:  # carried, provisional and fallback factors (kek_data.factor_years)
            lines.insert(0, factor_note)
        # below the table (rows with a two-line source are taller than 0,4 in)
        slides.text_box(s, slides.LEFT, 5.55, 12.3, 1.4, lines, 10, color=GREY)
