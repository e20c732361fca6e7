"""Checking the archive: every issued report's file is there, unchanged, and its union's.

``verify_archive`` reads every issued version back (its file exists, its SHA-256 matches
the row, its text names its own union and no other union of the installation) and lists
stored files that no row owns (a process that died between writing and committing) and
rows whose file is gone. ``renkei verify_reports`` prints the result; with
``--supersede`` it issues a new version of each damaged report, which is never deleted.
"""

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.core.files.storage import default_storage

from renkei.files import STAGING_DIR, stored_names
from renkei.programmes.models import Photo
from renkei.programmes.services import photo_file_names
from renkei.tenancy.models import Union

from .models import IssuedReport

# Folders of the media storage whose every file belongs to a row.
OWNED_FOLDERS = ("reports", "photos", STAGING_DIR)


@dataclass
class Problem:
    """One thing wrong with the archive, said in Japanese; ``issued`` when it is a version."""

    message: str
    issued: IssuedReport | None = None

    def __str__(self) -> str:
        return self.message


@dataclass
class ArchiveReport:
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def damaged(self) -> list[IssuedReport]:
        return [p.issued for p in self.problems if p.issued is not None]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def document_text(content: bytes, fmt: str) -> str:
    """The words a reader sees in a rendered report, for any of the four formats."""
    if fmt == "pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if fmt == "docx":
        from docx import Document

        document = Document(io.BytesIO(content))
        parts = [p.text for p in document.paragraphs]
        parts += [
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        ]
        parts += [p.text for section in document.sections for p in section.header.paragraphs]
        return "\n".join(parts)
    if fmt == "html":
        parser = _Text()
        parser.feed(content.decode("utf-8"))
        return "".join(parser.parts)
    if fmt == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    raise ValueError(fmt)


def _read(issued: IssuedReport) -> bytes | None:
    try:
        with issued.file.storage.open(issued.file.name, "rb") as file:
            return file.read()
    except FileNotFoundError:
        return None


def check_issued(issued: IssuedReport, union_names: dict[int, str]) -> list[str]:
    """What is wrong with one issued version (empty when nothing is)."""
    label = f"{issued.fiscal_year.union.slug} {issued}（{issued.file.name}）"
    content = _read(issued)
    if content is None:
        return [f"{label}: ファイルがありません"]
    if hashlib.sha256(content).hexdigest() != issued.sha256:
        return [f"{label}: SHA-256 が記録と一致しません（改変または破損）"]
    try:
        text = document_text(content, issued.format)
    except (ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as error:
        return [f"{label}: 文書として読めません（{type(error).__name__}）"]
    own = union_names[issued.fiscal_year.union_id]
    problems = []
    if own not in text:
        problems.append(f"{label}: 自らの組合名「{own}」が本文にありません")
    others = sorted(
        name
        for pk, name in union_names.items()
        if pk != issued.fiscal_year.union_id and name not in own and name in text
    )
    if others:
        problems.append(f"{label}: 他の組合の名前が含まれています（{'、'.join(others)}）")
    return problems


def verify_archive() -> ArchiveReport:
    """Check every issued version and every owned file of the media storage."""
    result = ArchiveReport()
    union_names = {u.pk: u.organisation.name for u in Union.objects.select_related("organisation")}
    reports = IssuedReport.objects.select_related("fiscal_year__union").order_by("pk")
    for issued in reports.iterator():
        result.checked += 1
        result.problems += [
            Problem(message, issued) for message in check_issued(issued, union_names)
        ]

    owned = set(IssuedReport.objects.values_list("file", flat=True))
    photo_names = set(Photo.objects.exclude(image="").values_list("image", flat=True))
    owned |= {owned_name for name in photo_names for owned_name in photo_file_names(name)}
    stored = set(stored_names(default_storage, OWNED_FOLDERS, skip=()))
    for name in sorted(stored - owned):
        result.problems.append(Problem(f"{name}: どの記録にも属さないファイルです（孤立）"))
    for name in sorted(photo_names - stored):
        result.problems.append(Problem(f"{name}: 写真の記録はありますがファイルがありません"))
    return result
