"""The traffic light (Ampel): ids, the 5 % tolerance, German words and colours — written once.

Why: the Überblick table, the deck's circles, the data package and the charts must call the same
member "gelb" for the same reason and colour it the same way. Pure layer-1 module: stdlib only.

Rule: ``gruen`` if the actual value [t CO₂e] is on or below the target path in that year,
``gelb`` if it is at most :data:`TOLERANCE_PCT` [%] of the path value above it, else ``rot``;
``ohne Ziel`` when no path value exists for that year. The tolerance is taken of ``|path|`` so
that a path value of 0 t CO₂e (neutrality) leaves no tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass

from kek_data.numbers import format_plain

#: Tolerance of the yellow light above the path [% of the path value].
TOLERANCE_PCT = 5.0

GREEN, YELLOW, RED, NO_TARGET = "gruen", "gelb", "rot", "ohne Ziel"


@dataclass(frozen=True)
class Light:
    """One state of the traffic light and how every surface names and colours it."""

    id: str
    word: str  # "Grün" – tiles, slides
    label: str  # "🟢 auf Kurs" – tables on screen
    text: str  # "auf oder unter dem Zielpfad" – explanations
    color: str  # fill colour (hex)
    ink: str  # text colour on white for the word itself (hex)
    on_color: str  # text colour on the fill (hex)


def _tol() -> str:
    return format_plain(TOLERANCE_PCT)


#: Every state, in the order the pages list them.
LIGHTS: dict[str, Light] = {
    GREEN: Light(GREEN, "Grün", "🟢 auf Kurs", "auf oder unter dem Zielpfad",
                 "#1A9850", "#1A9850", "#FFFFFF"),
    YELLOW: Light(YELLOW, "Gelb", "🟡 knapp", f"höchstens {_tol()} % über dem Zielpfad",
                  "#E6AB02", "#8A6500", "#222222"),
    RED: Light(RED, "Rot", "🔴 Rückstand", f"mehr als {_tol()} % über dem Zielpfad",
               "#D73027", "#D73027", "#FFFFFF"),
    NO_TARGET: Light(NO_TARGET, "ohne Ziel", "⚪ ohne Ziel", "kein Zielpfad hinterlegt",
                     "#999999", "#6B6B6B", "#FFFFFF"),
}  # fmt: skip


def light(actual_value: float, path_value: float | None) -> str:
    """The state id for one year: actual and path value in [t CO₂e] (see module docstring)."""
    if path_value is None:
        return NO_TARGET
    if actual_value <= path_value:
        return GREEN
    if actual_value <= path_value + abs(path_value) * TOLERANCE_PCT / 100.0:
        return YELLOW
    return RED


def counts(states: list[str]) -> dict[str, int]:
    """How many of ``states`` are in each state, every state present (0 if none)."""
    result = dict.fromkeys(LIGHTS, 0)
    for s in states:
        result[s] += 1
    return result


def legend() -> str:
    """One German sentence naming every state, e.g. for captions and slide notes."""
    return (
        "Ampel: "
        + ", ".join(f"{lt.word} = {lt.text}" for lt in LIGHTS.values() if lt.id != NO_TARGET)
        + "."
    )
