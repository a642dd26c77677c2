"""Bar charts as SVG, drawn on the server so the page and the PDF show the same picture.

Each chart is an image with a title and a description a screen reader announces; the
page puts its numbers in a table beside it, so nothing is only in the picture. Colours are
presentation attributes, not style: the page's content security policy allows no inline
style, and WeasyPrint reads attributes as well as a browser does.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

LABEL_WIDTH = 220
BAR_AREA = 360
ROW = 26
BAR = 18
BAR_COLOUR = "#1d5f80"
TEXT_COLOUR = "#1b1b1b"
MAX_LABEL = 32


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def number(value: Decimal | int) -> str:
    """12, 12.5, 1,250: no trailing zeros, thousands grouped."""
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value.normalize():,f}"
    return text


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Decimal | int]],
    label_width: int = LABEL_WIDTH,
) -> str:
    """A horizontal bar chart of non-negative values, one labelled bar a row, longest = max.

    `chart_id` must be unique on the page: it names the title and description elements.
    """
    top = max((v for _, v in rows), default=0) or 1
    height = ROW * max(len(rows), 1) + 8
    width = label_width + BAR_AREA + 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i, (label, value) in enumerate(rows):
        y = 4 + i * ROW
        length = int(BAR_AREA * (Decimal(value) / Decimal(top))) if value > 0 else 0
        middle = y + BAR / 2 + 5
        parts.append(
            f'<text x="{label_width - 8}" y="{middle}" text-anchor="end" font-size="14" '
            f'fill="{TEXT_COLOUR}">{escape(_short(label))}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{max(length, 1)}" height="{BAR}" '
            f'fill="{BAR_COLOUR}"/>'
        )
        parts.append(
            f'<text x="{label_width + length + 6}" y="{middle}" font-size="14" '
            f'fill="{TEXT_COLOUR}">{escape(number(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
