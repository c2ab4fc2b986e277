"""User-supplied text (file names, header cells, messages quoting them) shown only as text.

Why: ``st.success``, ``st.error`` and friends render Markdown: a file named
``![x](http://host/p.png).csv`` would make every viewer's browser fetch that address, and
``:red[…]``, ``$…$`` or ``**`` in a cell would change the page. :func:`plain` escapes every
character Markdown (and Streamlit's extensions: emoji/colour directives, LaTeX) could read.
"""

from __future__ import annotations

import re

#: Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping ``:``
#: also breaks URL autolinks, emoji shortcodes and Streamlit's ``:color[…]`` directives.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text: object) -> str:
    """``text`` escaped so that Markdown shows it literally (its lines as line breaks)."""
    lines = str(text).replace("\t", " ").splitlines() or [""]
    return "  \n".join(_PUNCTUATION.sub(r"\\\1", line.strip()) for line in lines)
