"""What every document format of the report is: pretix's ``BaseInvoiceRenderer`` shape.

A format's module defines one ``Renderer`` subclass and registers it with ``@register``;
the reports app imports the format modules when it is ready (``ReportsConfig.ready``), so
``renderer("pdf")`` finds the PDF renderer without this module naming any format. The
registry is filled once at start-up from code and never changes per request.
"""

from typing import ClassVar

# What a draft carries on every page (the PDF's running header, the Word header, the
# Excel sheets' header, the HTML page's banner); the issued 確定版 carries none of it.
DRAFT_MARK = "【案】"


class Renderer:
    """One document format: an identifier (``pdf``), a name for people, the file
    extension and media type, and ``generate`` turning a ``ReportData`` into bytes."""

    identifier: ClassVar[str]
    verbose_name: ClassVar[str]
    extension: ClassVar[str]
    content_type: ClassVar[str]

    def generate(self, report, **options) -> bytes:
        raise NotImplementedError


_REGISTERED: dict[str, type[Renderer]] = {}


def register(cls: type[Renderer]) -> type[Renderer]:
    """Class decorator: make a format available under its identifier."""
    _REGISTERED[cls.identifier] = cls
    return cls


def formats() -> dict[str, type[Renderer]]:
    """The registered formats by identifier, in registration order."""
    return dict(_REGISTERED)


def renderer(fmt: str) -> Renderer:
    """The renderer of format ``fmt``; KeyError for a format nobody registered."""
    return _REGISTERED[fmt]()


# Other documents than the report (the examination-form 決算書 …) are rendered by the same
# kind of class, registered under their document's name and their format.
_DOCUMENTS: dict[tuple[str, str], type[Renderer]] = {}


def register_document(document: str):
    """Class decorator: make a format of ``document`` available under its identifier."""

    def decorate(cls: type[Renderer]) -> type[Renderer]:
        _DOCUMENTS[(document, cls.identifier)] = cls
        return cls

    return decorate


def document_formats(document: str) -> dict[str, type[Renderer]]:
    """The formats registered for ``document`` by identifier, in registration order."""
    return {fmt: cls for (name, fmt), cls in _DOCUMENTS.items() if name == document}


def document_renderer(document: str, fmt: str) -> Renderer:
    """The renderer of ``document`` in format ``fmt``; KeyError when none is registered."""
    return _DOCUMENTS[(document, fmt)]()
