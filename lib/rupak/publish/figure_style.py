"""The one style every figure shares: size, resolution, fonts, and deterministic PNG bytes.

Why apart: the dyad, arms, timeline, framing and findings figures live in several modules
and must look alike; this is the single place that says how.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import io

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from rupak.publish import palette

DPI = 150


def apply_style() -> None:
    plt.rcParams.update(
        {
            "figure.figsize": (9, 4.2),
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.prop_cycle": matplotlib.cycler(color=[palette.NEUTRAL]),
            "legend.frameon": False,
            "svg.hashsalt": "rupak",
            "path.simplify": True,
        }
    )


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes at :data:`DPI`, cropped to its content, without timestamps.

    Colours are reduced to an adaptive palette (charts have few colours), which keeps
    pages small; the same figure always gives the same bytes.
    """
    from rupak.publish.images import compact_png

    buffer = io.BytesIO()
    fig.savefig(  # stored uncompressed: it is re-encoded once, with a palette, just below
        buffer,
        format="png",
        dpi=DPI,
        bbox_inches="tight",
        metadata={"Software": None},
        pil_kwargs={"compress_level": 0},
    )
    return compact_png(buffer.getvalue())


def _finish(fig: Figure, title: str) -> Figure:
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize=11)
    fig.tight_layout()
    plt.close(fig)
    return fig
