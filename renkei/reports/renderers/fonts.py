"""The report's one font, IPAex Gothic (docs/adr/0008-one-pdf-font.md)."""

import importlib.util
from pathlib import Path

FONT_FAMILY = "IPAexGothic"


def font_path() -> str:
    """IPAex Gothic as shipped by the matplotlib-fontja package (never a system font)."""
    # Located without importing the package (its import loads matplotlib).
    spec = importlib.util.find_spec("matplotlib_fontja")
    if spec is None or spec.origin is None:
        raise RuntimeError("matplotlib-fontja is not installed (pyproject.toml)")
    return str(Path(spec.origin).parent / "fonts" / "ipaexg.ttf")
