"""What it takes, measure by measure: how much of the gap to the target path the measures close.

Why: the gap alone does not steer a network; the network manager must see whether the measures in
the pipeline close it. This is the pure calculation (layer 1: no I/O, no project imports except
:mod:`kek_data.formulas`); :mod:`kek_data.wedge_build` feeds it the report's key figures and the
measures store, :mod:`kek_data.wedge_charts` draws it. Values in [t CO₂e], savings in
[t CO₂e/a].

Method ("Keile", after the stabilisation wedges of Pacala & Socolow, Science 305 (2004) 968,
as the IEA draws them in its World Energy Outlook scenario charts, and the gap-closure practice
of the SBTi Net-Zero Standard, where an actor shows which abatement levers close the distance
between its projected and its target emissions):

* **Window** – from the owner's latest counted year *L* (emissions *E_L*) to its next target or
  milestone year *T* after the reporting year (:meth:`kek_data.progress.Kpi.next_step`, the year
  the pages "Pfad & Lücke" and "Mitglied" name first).
* **Trend and path** – the trend is the projection "beim jetzigen Tempo" of
  :func:`kek_data.formulas.trend_value` (the least-squares line of the Methodik page), the path
  the owner's target path. **Gap(T) = trend(T) − path(T)**; ≤ 0 means no gap in the trend.
* **Only the part not yet in the figures counts** – a measure builds up linearly over its
  implementation years and is fully effective from the year after its end (``effect_year``):
  effect share s(y) = clamp((y − start_year) / (end_year − start_year + 1), 0, 1). The remaining
  wedge in year y > L is saving × (s(y) − s(L)), never below 0. A measure finished in 2023
  (start = end = 2023) has s(2024) = 1: with L = 2024 it adds 0, because its saving is already
  in the reported emissions; counting it again would close the gap on paper only.
* **Stacks** – by status, downwards from the trend: umgesetzt, in Umsetzung, beschlossen,
  geplant. "Verworfen" adds nothing; a measure without a saving (or without years) is left out,
  counted and named as incomplete.
* **Result** – decided(T) = the stacks of the decided statuses (beschlossen, in Umsetzung,
  umgesetzt) in T; **ungedeckte Lücke = max(0, Gap(T) − decided(T))** in t CO₂e and in % of
  Gap(T); the same with the planned measures added.
* **Network** – the sum of all members' measures against the network's trend and path (the
  network's trend is that of the network total, not the sum of the members' trends). A member
  whose newest year is partial stands in the network's *L* with its last complete year
  (completeness rule of :mod:`kek_data.report`); its measures count from that year, as in its
  own wedge, so the network's decided wedge is the sum of the members' decided wedges.

Caveat (Methodik): the trend already continues the past pace. A measure that merely keeps that
pace (the next boiler replaced like the last ones) is already inside the trend and would be
counted twice; the wedge therefore shows *additional* measures, and members should enter the
measures that go beyond their trend.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from kek_data import formulas


class _Step(Protocol):
    year: int
    projected: float | None


class Kpi(Protocol):
    """What :func:`for_kpi` reads of a :class:`kek_data.progress.Kpi` (not imported: this
    module stays below the report layer)."""

    owner: str
    latest_year: int | None
    latest: float | None
    series: Mapping[int, float]
    path: Mapping[int, float]

    def next_step(self) -> _Step | None: ...


TITLE = "Maßnahmen gegen die Lücke"
UNCOVERED = "ungedeckte Lücke"
METHOD_SHORT = (
    "Die Maßnahmen der Mitglieder werden als Keile unter den Trend gelegt: vom letzten "
    "gemeldeten Jahr bis zum nächsten Zieljahr, gestapelt nach Status. Eine Maßnahme zählt nur "
    "mit dem Teil ihrer Einsparung, der noch nicht in den gemeldeten Emissionen steckt; "
    "ungedeckte Lücke = Abstand Trend − Pfad im Zieljahr minus die beschlossenen, begonnenen "
    "(in Umsetzung) und umgesetzten Maßnahmen."
)
METHOD_DETAILS = (
    "Eine Maßnahme wirkt über ihre Umsetzungsjahre linear ansteigend und ab dem Jahr nach ihrem "
    "Ende voll: Wirkungsanteil s(Jahr) = (Jahr − Beginn) / (Ende − Beginn + 1), begrenzt auf 0 "
    "bis 1. Im Jahr y zählt Einsparung × (s(y) − s(letztes gemeldetes Jahr)). Eine 2023 "
    "abgeschlossene Maßnahme steckt schon in den Zahlen für 2024 und zählt mit 2024 als "
    "letztem Jahr nicht noch einmal. Der Anstieg folgt der Zeit, nicht dem gemeldeten "
    "Umsetzungsstand: eine zu 60 % gebaute Anlage spart erst, wenn sie läuft. Zählt ein "
    "Mitglied im letzten Netzwerkjahr mit einem älteren vollständigen Jahr "
    "(Vollständigkeitsregel), zählen seine Maßnahmen ab diesem Jahr, wie in seinem eigenen Keil.",
    "Stapel von oben (Trend) nach unten: umgesetzt, in Umsetzung, beschlossen, geplant; "
    "verworfene Maßnahmen zählen nicht, Maßnahmen ohne Einsparangabe werden nicht eingerechnet "
    "und genannt. Das Netzwerk ist die Summe der Maßnahmen aller Mitglieder gegen Trend und Pfad "
    "des Netzwerks; für die Netzwerksumme gehen alle Maßnahmen ein, auch interne, aber nur als "
    "Summe je Status: genannt wird nur, was die Ansicht selbst sehen darf.",
    "Vorsicht Doppelzählung: Der Trend schreibt das bisherige Tempo fort. Eine Maßnahme, die nur "
    "dieses Tempo hält (etwa der nächste Kesseltausch wie die bisherigen), steckt schon im "
    "Trend. Der Keil zeigt deshalb zusätzliche Maßnahmen; die Mitglieder sollten die Maßnahmen "
    "eintragen, die über ihren Trend hinausgehen. Umgekehrt schreibt der Trend auch die "
    "Minderung abgeschlossener Maßnahmen fort, die nicht wiederkommt; beides lässt die Lücke "
    "eher zu klein und ihre Deckung eher zu groß erscheinen. Stromeinsparungen werden mit dem "
    "Netzfaktor des Jahres nach Abschluss bewertet (fehlt er, mit dem zuletzt vorhandenen, als "
    "übertragen gekennzeichnet); sinkt der Strommix weiter, ist ihre spätere Wirkung kleiner. "
    "Angelehnt an die „Stabilisierungskeile“ von Pacala und Socolow (Science, 2004), die "
    "Szenariodarstellungen der IEA und die Praxis der SBTi, die Lücke zum Zielpfad mit "
    "benannten Hebeln zu schließen.",
)


def effect_share(year: int, start_year: int, end_year: int) -> float:
    """Share of a measure's full saving in the emissions of ``year`` [0–1]: linear over the
    implementation years ``start_year … end_year``, full from ``end_year + 1``."""
    years = max(end_year - start_year + 1, 1)
    return min(max((year - start_year) / years, 0.0), 1.0)


def remaining(
    saving_t: float, year: int, latest_year: int, start_year: int, end_year: int
) -> float:
    """The part of a saving [t CO₂e/a] in ``year`` not yet in the emissions of ``latest_year``
    [t CO₂e], never below 0."""
    if year <= latest_year:
        return 0.0
    share = effect_share(year, start_year, end_year) - effect_share(
        latest_year, start_year, end_year
    )
    return max(saving_t * share, 0.0)


@dataclass(frozen=True)
class Wedge:
    """The measures of one owner (member id as shown, or 'netzwerk') against its gap."""

    owner: str
    latest_year: int  # L, the counted year [a]
    latest_t: float  # E_L [t CO₂e]
    target_year: int  # T [a]
    years: tuple[int, ...]  # L … T
    trend: dict[int, float]  # year → trend projection [t CO₂e]
    path: dict[int, float]  # year → target path [t CO₂e]
    stacks: dict[str, dict[int, float]]  # status (top → bottom) → year → remaining wedge [t]
    gap_t: float  # trend(T) − path(T) [t CO₂e]; ≤ 0: no gap in the trend
    decided_t: float  # decided stacks in T [t CO₂e]
    planned_t: float  # the other (planned) stacks in T [t CO₂e]
    uncovered_t: float  # max(0, gap − decided) [t CO₂e]
    uncovered_pct: float | None  # [% of the gap]; None without a gap
    n_measures: int  # measures considered (not rejected)
    n_incomplete: int  # of them without a saving or years (left out)
    incomplete_titles: tuple[str, ...] = ()  # empty where the viewer may not read titles
    decided: tuple[str, ...] = ()  # the decided statuses among ``stacks``

    @property
    def has_gap(self) -> bool:
        """True if the trend lies above the path in the target year."""
        return self.gap_t > 0

    @property
    def covered_t(self) -> float:
        """What the decided measures close of the gap [t CO₂e] (at most the gap)."""
        return min(self.decided_t, max(self.gap_t, 0.0))

    @property
    def covered_pct(self) -> float | None:
        """:attr:`covered_t` in % of the gap; None without a gap."""
        return self.covered_t / self.gap_t * 100 if self.has_gap else None

    @property
    def uncovered_with_planned_t(self) -> float:
        """The gap left if the planned measures were decided too [t CO₂e]."""
        return max(0.0, self.gap_t - self.decided_t - self.planned_t)

    @property
    def uncovered_with_planned_pct(self) -> float | None:
        """:attr:`uncovered_with_planned_t` in % of the gap; None without a gap."""
        return self.uncovered_with_planned_t / self.gap_t * 100 if self.has_gap else None

    def after(self, year: int) -> float:
        """The trend minus every stack in ``year`` [t CO₂e] (the lower edge of the wedges)."""
        return self.trend[year] - sum(s[year] for s in self.stacks.values())

    def by_status(self) -> dict[str, float]:
        """status → remaining wedge in the target year [t CO₂e] (sums, no titles)."""
        return {s: values[self.target_year] for s, values in self.stacks.items()}

    def as_json(self) -> dict:
        """The figures of ``summary --json`` [t CO₂e, %]: ``covered_decided_t`` is the part of
        the gap the decided measures close (at most the gap), ``decided_t`` their whole wedge;
        ``uncovered_pct`` is None without a gap; ``by_status`` the wedge per status in T."""

        def r(v: float | None) -> float | None:
            return None if v is None else round(float(v), 6)

        return {
            "latest_year": self.latest_year,
            "target_year": self.target_year,
            "gap_t": r(self.gap_t),
            "covered_decided_t": r(self.covered_t),
            "decided_t": r(self.decided_t),
            "planned_t": r(self.planned_t),
            "uncovered_t": r(self.uncovered_t),
            "uncovered_pct": r(self.uncovered_pct),
            "uncovered_with_planned_t": r(self.uncovered_with_planned_t),
            "by_status": {s: r(v) for s, v in self.by_status().items()},
            "n_measures": self.n_measures,
            "n_incomplete": self.n_incomplete,
        }


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def compute(
    owner: str,
    latest_year: int,
    latest_t: float,
    target_year: int,
    trend: Mapping[int, float],
    path: Mapping[int, float],
    measures: Iterable[Mapping],
    *,
    stack_order: Sequence[str],
    decided: Collection[str],
    titles: bool | Collection[object] = True,
) -> Wedge:
    """The wedge of ``owner`` from ``latest_year`` to ``target_year`` [a].

    ``trend`` and ``path`` [t CO₂e] need every year L … T. ``measures``: mappings with
    ``status``, ``start_year``, ``end_year``, ``saving_t`` [t CO₂e/a, NaN/None when unknown],
    ``title`` and optionally ``incomplete`` and ``latest_year``: the year whose figures of the
    measure's owner stand in ``latest_t`` (the network's *L* holds a member's older complete
    year where its newest is partial); default ``latest_year``. ``stack_order`` lists the
    statuses that count, from the trend down; a status not in it (verworfen) adds nothing.
    ``decided`` are the decided statuses; the others of ``stack_order`` are planned. Without
    ``titles`` the titles of incomplete measures are not kept (a viewer who sees the network
    only as a sum); a collection of ``measure_id`` values keeps only those measures' titles
    (the ones the viewer may read).
    """
    if target_year <= latest_year:
        raise ValueError("Das Zieljahr muss nach dem letzten gemeldeten Jahr liegen.")
    years = tuple(range(latest_year, target_year + 1))
    stacks = {s: dict.fromkeys(years, 0.0) for s in stack_order}
    n, incomplete = 0, []
    for m in measures:
        status = m.get("status")
        if status not in stacks:
            continue
        n += 1
        start, end, saving = m.get("start_year"), m.get("end_year"), m.get("saving_t")
        if m.get("incomplete") or _missing(saving) or _missing(start) or _missing(end):
            named = titles is True or (titles is not False and m.get("measure_id") in titles)
            incomplete.append(str(m.get("title") or "") if named else "")
            continue
        in_figures = int(m.get("latest_year") or latest_year)  # owner's year in the total
        for y in years:
            stacks[status][y] += remaining(float(saving), y, in_figures, int(start), int(end))
    gap = float(trend[target_year]) - float(path[target_year])
    decided_t = sum(stacks[s][target_year] for s in stack_order if s in decided)
    planned_t = sum(stacks[s][target_year] for s in stack_order if s not in decided)
    uncovered = max(0.0, gap - decided_t)
    return Wedge(
        owner=owner,
        latest_year=latest_year,
        latest_t=float(latest_t),
        target_year=target_year,
        years=years,
        trend={y: float(trend[y]) for y in years},
        path={y: float(path[y]) for y in years},
        stacks=stacks,
        gap_t=gap,
        decided_t=decided_t,
        planned_t=planned_t,
        uncovered_t=uncovered,
        uncovered_pct=uncovered / gap * 100 if gap > 0 else None,
        n_measures=n,
        n_incomplete=len(incomplete),
        incomplete_titles=tuple(sorted(t for t in incomplete if t)),
        decided=tuple(s for s in stack_order if s in decided),
    )


def for_kpi(
    kpi: Kpi,
    measures: Iterable[Mapping],
    *,
    stack_order: Sequence[str],
    decided: Collection[str],
    titles: bool | Collection[object] = True,
) -> Wedge | None:
    """The wedge of a report's key figures (:class:`kek_data.progress.Kpi`): L = its counted
    year, T = its next reference year (:meth:`Kpi.next_step`), the trend of
    :func:`formulas.trend_value` over its series (the same line as ``Step.projected``), the path
    of its target. None without a target path, a next step or a trend (fewer than two years)."""
    step = kpi.next_step()
    if step is None or step.projected is None or kpi.latest is None or kpi.latest_year is None:
        return None
    years = range(kpi.latest_year, step.year + 1)
    if any(y not in kpi.path for y in years):
        return None
    trend = {y: formulas.trend_value(kpi.series, y) for y in years}
    trend[step.year] = step.projected  # the very figure the page shows
    return compute(
        kpi.owner, kpi.latest_year, kpi.latest, step.year, trend, kpi.path, measures,
        stack_order=stack_order, decided=decided, titles=titles,
    )  # fmt: skip
