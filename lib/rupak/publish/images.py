"""Small, deterministic PNGs: charts have few colours, so a palette image loses nothing visible.

Why: a report embeds its figures; an RGBA chart at 150 dpi is ~100 KB, the same chart as a
128-colour palette PNG about a third of that. Used for every figure a page embeds
(:func:`rupak.publish.figure_style.figure_png` and the page export).
"""

from __future__ import annotations

import io

COLOURS = 128
#: zlib level of the final PNG: level 9 (``optimize``) is ~5x slower for ~5 % fewer bytes, and
#: figures are most of a report's build time after the analysis itself.
COMPRESSION = 7


def compact_png(data: bytes) -> bytes:
    """The PNG re-encoded with an adaptive palette (no dithering); palette PNGs are kept."""
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    if image.mode == "P":
        return data
    rgba = image.convert("RGBA")
    rgb = Image.new("RGB", image.size, "white")
    rgb.paste(rgba, mask=rgba.getchannel("A"))
    small = rgb.quantize(COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", compress_level=COMPRESSION)
    return out.getvalue()
