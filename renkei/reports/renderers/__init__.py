"""Renderers: each turns a ``ReportData`` into the bytes of one document format."""

from .base import (
    Renderer,
    document_formats,
    document_renderer,
    formats,
    register,
    register_document,
    renderer,
)


def render(report, fmt: str, **options) -> bytes:
    """The report in format ``fmt`` (pdf, docx, html, xlsx) as bytes."""
    return renderer(fmt).generate(report, **options)


def render_document(document: str, data, fmt: str, **options) -> bytes:
    """Another document than the report (``examination``) in format ``fmt`` as bytes."""
    return document_renderer(document, fmt).generate(data, **options)


__all__ = [
    "Renderer",
    "document_formats",
    "document_renderer",
    "formats",
    "register",
    "register_document",
    "render",
    "render_document",
    "renderer",
]
