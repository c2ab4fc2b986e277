"""The charts as pages show them, cached once per audience, basis and data state.

Why: a fresh session's Überblick ran three charts; from ``st.cache_data`` every hit unpickled
the figure and its screen copy, and Plotly validated every property again (12–19 ms a chart,
more than half of the page's run). These caches are ``st.cache_resource``: every session of an
audience gets the same :class:`kek_data.chart_text.Shown` *without a copy*, read-only by
contract (:func:`ui.frame.chart` only reads it). Keys as in :mod:`ui.data` (``viewer.audience``,
the database file, the balance basis); :func:`clear` runs in ``data.data_changed``.
"""

from __future__ import annotations

import streamlit as st

from kek_data import chart_text, comparison_charts, scope2
from kek_data.viewer import Viewer
from ui.data import completeness, context, members, report, view_basis

#: Shared by every session of an audience, without a copy (see the module docstring).
shared = st.cache_resource(show_spinner=False, max_entries=512)


def clear() -> None:
    """Drop every cached chart (after data changed)."""
    for cached in (_chart, _completeness_chart, _bridge_chart, _alignment_chart):
        cached.clear()


def completeness_chart(viewer: Viewer, db_path: str) -> chart_text.Shown:
    """The completeness grid (visible member × year) as the Daten page shows it, built once per
    audience and data state: at 1.000 members its figure, screen copy and text take about 0,6 s."""
    return _completeness_chart(viewer.audience, db_path)


@shared
def _completeness_chart(audience: Viewer, db_path: str) -> chart_text.Shown:
    comp = completeness(audience, db_path)
    shown = members(audience, db_path)
    names = dict(zip(shown["member_id"], shown["short_name"], strict=True))
    return chart_text.shown(comparison_charts.completeness_heatmap(comp, names, context(db_path)))


def chart(
    viewer: Viewer,
    db_path: str,
    name: str,
    member_id: str | None = None,
    chosen: tuple[str, ...] | None = None,
    summary: str | None = None,
) -> chart_text.Shown:
    """The named chart of the viewer's report (``export.figures.build_from``) as a page shows
    it, built once per audience, basis, choice and data state instead of on every rerun."""
    return _chart(viewer.audience, db_path, name, member_id, chosen, summary, view_basis(viewer))


@shared
def _chart(
    viewer: Viewer,
    db_path: str,
    name: str,
    member_id: str | None = None,
    chosen: tuple[str, ...] | None = None,
    summary: str | None = None,
    basis_: str = scope2.DEFAULT,
) -> chart_text.Shown:
    from kek_data.export import figures

    rep = report(viewer, db_path, basis_=basis_)  # the basis is part of the cache key
    fig = figures.build_from(rep, name, member_id, None if chosen is None else list(chosen))
    return chart_text.shown(fig, summary)


def bridge_chart(viewer: Viewer, db_path: str, owner: str, who: str) -> chart_text.Shown | None:
    """The bridge "Eigene Minderung und Strommix" of ``owner`` (member id or 'netzwerk') from the
    viewer's report (:func:`kek_data.decomposition_charts.bridge`), titled for ``who``; None where
    the report has no decomposition for the owner."""
    return _bridge_chart(viewer.audience, db_path, owner, who, view_basis(viewer))


@shared
def _bridge_chart(
    viewer: Viewer, db_path: str, owner: str, who: str, basis_: str
) -> chart_text.Shown | None:
    from kek_data import decomposition_charts

    rep = report(viewer, db_path, basis_=basis_)
    parts = rep.decomposed(owner)
    if parts is None:
        return None
    fig = decomposition_charts.bridge(parts, decomposition_charts.title(parts, who), rep.ctx)
    return chart_text.shown(fig, parts.text(rep.carrier_names))


def alignment_chart(viewer: Viewer, db_path: str, member_id: str) -> chart_text.Shown:
    """The member's own target against the reference paths (Zielabgleich page), always on the
    targets' basis (:data:`kek_data.scope2.TARGET_BASIS`,
    :func:`kek_data.alignment_charts.chart`)."""
    return _alignment_chart(viewer.audience, db_path, member_id)


@shared
def _alignment_chart(viewer: Viewer, db_path: str, member_id: str) -> chart_text.Shown:
    from kek_data import alignment_charts

    rep = report(viewer, db_path, basis_=scope2.TARGET_BASIS)
    title = f"{rep.find(member_id).short_name}: eigenes Ziel und Bezugspfade"
    return chart_text.shown(alignment_charts.chart(rep.alignment[member_id], title, rep.ctx))
