"""Renderers: each turns a ``ReportData`` into the bytes of one document format."""

from .base import Renderer, formats, register, renderer


def render(report, fmt: str, **options) -> bytes:
    """The report in format ``fmt`` (pdf, docx, html, xlsx) as bytes."""
    return renderer(fmt).generate(report, **options)


__all__ = ["Renderer", "formats", "register", "render", "renderer"]
