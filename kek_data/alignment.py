"""Zielabgleich: which target binds a member — its own pledge against every reference path.

Why: a member's own target (:class:`kek_data.progress.Target`) is one of several a member is
measured against; the network manager needs to see, per reference year, which path is strictest
and how far the pledge is from it. Everything is computed here once, from the figures
:func:`kek_data.report.build` holds (the report stores one :class:`Alignment` per visible
member); pages, deck and data package only format it.

Reference paths, all anchored at the base year ``B`` and base value ``V`` [t CO₂e] of the
member's own target, for years ``y ≥ B``:

* **Vorgabe des Dachverbands** — the parent body's target (purpose 'vorgabe', from
  ``data/parent_targets.csv`` or entered by the network manager) as a piecewise linear path.
  Marked :data:`kek_data.reference.OWN_BASE` (base year left empty) or without emissions in its
  own base year (e.g. 1990), it is applied to ``B`` and ``V``; else to its own base year and value.
* **SBTi-Pfad 1,5 °C** — absolute contraction: ``V × max(0, 1 − r/100 × (y − B))`` with ``r``
  = 4,2 %/a (``data/target_references.csv``).
* **Netzwerkpfad, skaliert** — the network path's relative reductions applied to the member:
  ``V × N(y) / N(A)`` with ``N`` the network path of a base of 1 (only its shape; no withheld
  total enters) and ``A = max(B, network base year)``; so the member's path starts at ``V`` and
  falls by the network's shares from there.
* **Klimaneutralität der Stadt** — linear from ``V`` in ``B`` to 0 in the city's neutrality year
  (2035, ``data/target_references.csv``); the city's own intermediate values are not used.

Per reference year (the network's reference years, e.g. 2030 and 2035, and the own target's
milestones and neutrality year) a :class:`Check` holds the value each path allows [t CO₂e],
the strictest (lowest allowed), the gap ``pledge − strictest`` [t CO₂e] (positive: the own
target allows more, i.e. is weaker) and that gap in % of the base value ``V`` (the base, not
the path value, since a path value can be 0), and one German sentence (:func:`sentence`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from kek_data import access, formulas, progress, reference
from kek_data import wording as wd
from kek_data.numbers import format_number

OWN, PARENT, SBTI, NETWORK, CITY = "eigen", "vorgabe", "sbti", "netzwerk", "stadt"
#: Text for a parent body a viewer may not see (pseudonymised member), as the report's sources.
NOT_PUBLISHED = "nicht veröffentlicht"
#: Values closer than this count as equal [t CO₂e] (rounding of float paths).
EPSILON = 1e-6


@dataclass(frozen=True)
class Reference:
    """One reference path for a member: ``path`` [t CO₂e] by year."""

    ref_id: str  # vorgabe · sbti · netzwerk · stadt
    name: str  # legend and table label, e.g. "Vorgabe des Dachverbands (Deutscher Caritasverband)"
    subject: str  # with article, for the sentence: "die Vorgabe des Dachverbands (…)"
    path: dict[int, float]
    source: str
    verified: bool


@dataclass(frozen=True)
class Check:
    """The comparison in one reference ``year`` [a]."""

    year: int
    past: bool  # the year is the reporting year or earlier
    pledge: float | None  # own path value [t CO₂e]
    allowed: dict[str, float]  # ref_id → value the reference allows [t CO₂e]
    strictest: str | None  # ref_id of the lowest allowed value
    gap: float | None  # pledge − strictest allowed [t CO₂e]; positive = own target weaker
    gap_pct: float | None  # gap in % of the base value [%]
    sentence: str
    gaps: dict[str, float] = field(default_factory=dict)  # ref_id → pledge − allowed [t CO₂e]
    base: float | None = None  # the base value the % refer to [t CO₂e]

    def pct(self, ref_id: str) -> float | None:
        """The own target's gap to path ``ref_id`` in % of the base value [%]."""
        gap = self.gaps.get(ref_id)
        return None if gap is None or not self.base else gap / self.base * 100


@dataclass(frozen=True)
class Alignment:
    """The Zielabgleich of one member; values [t CO₂e]."""

    member_id: str
    base_year: int | None
    base: float | None
    own: dict[int, float]  # own target path
    references: tuple[Reference, ...]
    checks: tuple[Check, ...]
    actual: dict[int, float] = field(default_factory=dict)  # counted emissions ≤ reporting year
    trend: dict[int, float] = field(default_factory=dict)  # trend line, reporting year onwards
    note: str = ""  # why nothing is compared ("" when compared)

    def reference(self, ref_id: str) -> Reference | None:
        """The reference path ``ref_id``, None if it does not apply."""
        return next((r for r in self.references if r.ref_id == ref_id), None)

    @property
    def sentences(self) -> list[str]:
        """One German sentence per reference year."""
        return [c.sentence for c in self.checks] if self.checks else [self.note]


def references_table() -> dict[str, dict[str, str]]:
    """ref_id → row of ``data/target_references.csv`` (name, kind, value, unit, source, …)."""
    return {r["ref_id"]: r for r in reference.read_table("target_references.csv")}


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def sbti_path(
    base_year: int, base: float, years: Iterable[int], rate_pct: float
) -> dict[int, float]:
    """SBTi absolute contraction [t CO₂e]: ``base × max(0, 1 − rate_pct/100 × (y − base_year))``."""
    return {
        y: base * max(0.0, 1.0 - rate_pct / 100.0 * (y - base_year))
        for y in years
        if y >= base_year
    }


def scaled_network_path(
    network: progress.Target, base_year: int, base: float, years: Iterable[int]
) -> dict[int, float]:
    """The network path's shape applied to a member [t CO₂e]: ``base × N(y) / N(A)``, ``N`` the
    network path of a base of 1, ``A = max(base_year, network base year)``; {} if ``N(A)`` = 0."""
    years = [y for y in years if y >= base_year]
    anchor = max(base_year, network.base_year)
    shape = formulas.target_path(
        network.base_year, 1.0, network.milestones, network.neutrality_year,
        [*years, anchor], residual_pct=network.residual_pct,
    )  # fmt: skip
    if not shape.get(anchor):
        return {}
    return {y: base * shape.get(y, 1.0) / shape[anchor] for y in years}


def city_path(base_year: int, base: float, years: Iterable[int], year: int) -> dict[int, float]:
    """Linear from ``base`` [t CO₂e] in ``base_year`` to 0 in the city's neutrality ``year``."""
    if year <= base_year:
        return {y: 0.0 for y in years if y >= base_year}
    return formulas.target_path(base_year, base, {}, year, years)


def parent_path(
    vorgabe: progress.Target, own: progress.Target, years: Iterable[int]
) -> dict[int, float]:
    """The parent body's target as a path [t CO₂e] (see module doc for its base)."""
    if vorgabe.basis == reference.OWN_BASE or vorgabe.base_value is None:
        assert own.base_value is not None
        vorgabe = progress.Target(
            owner=own.owner, base_year=own.base_year, base_value=own.base_value,
            milestones={y: p for y, p in vorgabe.milestones.items() if y > own.base_year},
            neutrality_year=vorgabe.neutrality_year, residual_pct=vorgabe.residual_pct,
            basis=vorgabe.basis, source=vorgabe.source, is_demo=vorgabe.is_demo,
        )  # fmt: skip
    if vorgabe.neutrality_year is not None and vorgabe.neutrality_year <= vorgabe.base_year:
        return {y: 0.0 for y in years if y >= vorgabe.base_year}
    return vorgabe.path(years)


def reduction_text(allowed: float, base: float, year: int) -> str:
    """What a path allows in ``year`` as a reduction vs base, e.g. "−100 % bis 2030"."""
    pct = (1 - allowed / base) * 100 if base else 0.0
    text = format_number(pct, 0 if abs(pct - round(pct)) < 0.05 else 1)
    return f"−{text} % bis {year}" if pct > 0 else f"+{text.lstrip('-')} % bis {year}"


def sentence(check: Check, refs: Mapping[str, Reference], base: float) -> str:
    """The German sentence of one reference year (the only place it is worded)."""
    when = "" if not check.past else " (Jahr liegt nicht nach dem Berichtsjahr)"
    if check.strictest is None or check.pledge is None or check.gap is None:
        return f"Für {check.year} liegt kein Bezugspfad vor{when}."
    ref = refs[check.strictest]
    how = reduction_text(check.allowed[check.strictest], base, check.year)
    if check.gap > EPSILON:
        return (
            f"Das eigene Ziel ist bis {check.year} schwächer als {ref.subject} ({how}): "
            f"Abstand {wd.t(check.gap)}{when}."
        )
    return (
        f"Das eigene Ziel ist bis {check.year} mindestens so streng wie alle Bezugspfade "
        f"(strengster: {ref.subject}, {how}){when}."
    )


def _references(
    own: progress.Target,
    vorgabe: progress.Target | None,
    network: progress.Target | None,
    years: list[int],
    body_shown: bool,
) -> list[Reference]:
    table = references_table()
    b, v = own.base_year, own.base_value
    assert v is not None
    refs = []
    if vorgabe is not None:
        body = (vorgabe.body or "") if body_shown else ""
        refs.append(Reference(
            PARENT, f"Vorgabe des Dachverbands ({body or NOT_PUBLISHED})",
            f"die Vorgabe des Dachverbands {body}".strip(), parent_path(vorgabe, own, years),
            vorgabe.source if body_shown else NOT_PUBLISHED, vorgabe.verified,
        ))  # fmt: skip
    if SBTI in table:
        row = table[SBTI]
        rate = _number(row["value"])
        refs.append(Reference(
            SBTI, f"{row['name']} (−{wd.rate(rate, wd.BASE_YEAR_BASIS)})", f"der {row['name']}",
            sbti_path(b, v, years, rate), row["source"], row["verified"] == "ja",
        ))  # fmt: skip
    if network is not None and NETWORK in table:
        row = table[NETWORK]
        refs.append(Reference(
            NETWORK, "Netzwerkpfad, auf die Basis skaliert",
            "der auf die Basis skalierte Netzwerkpfad", scaled_network_path(network, b, v, years),
            network.source, network.verified,
        ))  # fmt: skip
    if CITY in table:
        row = table[CITY]
        year = int(_number(row["value"]))
        refs.append(Reference(
            CITY, f"{row['name']} {year}", f"die {row['name']} {year}",
            city_path(b, v, years, year), row["source"], row["verified"] == "ja",
        ))  # fmt: skip
    return [r for r in refs if r.path]


def align(
    member_id: str,
    kpi: progress.Kpi,
    own: progress.Target | None,
    vorgabe: progress.Target | None,
    network: progress.Target | None,
    report_year: int,
    reference_years: Iterable[int] = (),
    body_shown: bool = True,
) -> Alignment:
    """The Zielabgleich of one member in reporting ``report_year`` [a].

    ``kpi`` gives the counted emissions and the trend (:func:`formulas.trend_value`), ``own``
    the member's target, ``vorgabe`` its parent body's (or None), ``network`` the network target
    (its shape only), ``reference_years`` the network's reference years; ``body_shown`` False
    hides the parent body's name and source (pseudonymised member).
    """
    actual = dict(kpi.series)
    if own is None or own.base_value is None:
        note = (
            "Kein eigenes Ziel vereinbart: ohne Basisjahr und Basiswert kein Zielabgleich."
            if own is None
            else f"Für das Basisjahr {own.base_year} liegen keine Emissionen vor: kein Abgleich."
        )
        return Alignment(member_id, None, None, {}, (), (), actual, {}, note)
    wanted = sorted(y for y in {*reference_years, *own.reference_years} if y > own.base_year)
    end = max([own.final_year, *wanted, *(vorgabe.reference_years if vorgabe else ())])
    years = list(range(min([own.base_year, *actual]), end + 1))
    own_path = own.path(years)
    refs = _references(own, vorgabe, network, years, body_shown)
    by_id = {r.ref_id: r for r in refs}
    checks = []
    for year in wanted:
        allowed = {r.ref_id: r.path[year] for r in refs if year in r.path}
        strictest = min(allowed, key=allowed.__getitem__) if allowed else None
        pledge = own_path.get(year)
        # rounded to the gram: equal paths give a gap of 0, not float noise like −2,3e−13 t
        gaps = {} if pledge is None else {r: round(pledge - v, 6) for r, v in allowed.items()}
        gap = gaps.get(strictest) if strictest else None
        check = Check(
            year, year <= report_year, pledge, allowed, strictest, gap,
            None if gap is None else gap / own.base_value * 100, "", gaps, own.base_value,
        )  # fmt: skip
        checks.append(replace(check, sentence=sentence(check, by_id, own.base_value)))
    trend = {}
    if len(actual) >= 2 and kpi.latest_year is not None:
        trend = {y: formulas.trend_value(actual, y) for y in range(kpi.latest_year, end + 1)}
    return Alignment(
        member_id, own.base_year, own.base_value, own_path, tuple(refs), tuple(checks),
        actual, trend,
    )  # fmt: skip


@dataclass(frozen=True)
class AmbitionGap:
    """The network's Ambitionslücke in ``year`` [a]: what the members' pledges leave open.

    ``pledged`` is the sum of the members' own target paths, ``needed`` the network path, both
    [t CO₂e] (``Report.paths``); None where the viewer may not see them (consent rule).
    """

    year: int
    pledged: float | None
    needed: float | None
    unpledged: str = ""  # members counted without a target ("DSW21"): the sum would be partial

    @property
    def withheld(self) -> bool:
        """True if the sum of the pledges or the network path is not shown to this viewer."""
        return self.pledged is None or self.needed is None

    @property
    def gap(self) -> float | None:
        """``pledged − needed`` [t CO₂e]; positive = the pledges fall short of the path."""
        return None if self.withheld else self.pledged - self.needed  # type: ignore[operator]

    @property
    def pct(self) -> float | None:
        """The gap in % of the network path value of the year [%]; None if that value is 0."""
        gap = self.gap
        return (
            None if gap is None or not self.needed or self.needed <= 0 else gap / self.needed * 100
        )

    def value_text(self) -> str:
        """The gap for a tile, e.g. "+12.345 t CO₂e"; the withheld wording where hidden."""
        if self.unpledged:
            return "unvollständig"
        return access.WITHHELD if self.withheld else wd.signed_t(self.gap)

    @property
    def label(self) -> str:
        """ "Ambitionslücke 2030"."""
        return f"Ambitionslücke {self.year}"

    def detail(self) -> str:
        """The sentence after the label, e.g. "Die Ziele der Mitglieder ergeben zusammen
        80.000 t CO₂e, der Netzwerkpfad verlangt 70.000 t CO₂e: Lücke +10.000 t CO₂e
        (14,3 % des Pfadwerts)." (the only place it is worded)."""
        if self.unpledged:
            return (
                f"nicht ausgewiesen, denn ohne Ziel: {self.unpledged} (die Summe der Zusagen "
                "wäre unvollständig)."
            )
        if self.withheld:
            return f"{access.WITHHELD}."
        pct = "" if self.pct is None else f" ({wd.rate_cell(self.pct)} des Pfadwerts)"
        gap = self.gap or 0.0
        verdict = (
            f"Lücke {wd.signed_t(gap)}{pct}" if gap > EPSILON
            else f"keine Lücke, die Zusagen liegen {wd.t(-gap)} unter dem Pfad"
        )  # fmt: skip
        return (
            f"Die Ziele der Mitglieder ergeben zusammen {wd.t(self.pledged)}, der Netzwerkpfad "
            f"verlangt {wd.t(self.needed)}: {verdict}."
        )

    def text(self) -> str:
        """Label and detail in one line."""
        return f"{self.label}: {self.detail()}"


def ambition_gap(
    paths: Mapping[int, tuple[float, float]], year: int, unpledged: str = ""
) -> AmbitionGap:
    """The Ambitionslücke of ``year`` from ``year → (members_path, network_path)`` [t CO₂e]
    (NaN or missing = not shown); ``unpledged`` names members counted without a target."""
    pledged, needed = paths.get(year, (math.nan, math.nan))
    return AmbitionGap(
        year,
        None if math.isnan(pledged) else float(pledged),
        None if math.isnan(needed) else float(needed),
        unpledged,
    )
