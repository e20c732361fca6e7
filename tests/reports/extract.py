"""Reading a rendered report back as text, split by section, and matching facts in it."""

import io
import re
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

FOOTER = re.compile(r"^-\s*\d+\s*-$")


def fold(text: str) -> str:
    """Compare text as a reader does: widths folded (NFKC), no spaces or line breaks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def pdf_sections(pdf: bytes, title: str) -> dict[str, str]:
    """Pages grouped by the chapter named in their running header (page 1: "cover")."""
    pages = pdf_text(pdf).split("\f")
    sections = {"cover": pages[0]}
    for page in pages[1:]:
        lines = [line for line in page.splitlines() if line.strip()]
        if not lines:
            continue
        assert fold(lines[0]) == fold(title), f"running header missing: {lines[0]!r}"
        if lines and FOOTER.match(lines[-1].strip()):
            lines = lines[:-1]
        chapter = lines[1].strip()
        sections[chapter] = sections.get(chapter, "") + "\n".join(lines[2:]) + "\n"
    return sections


def docx_sections(data: bytes) -> dict[str, str]:
    """Body text (paragraphs and table cells in order) split at Heading 1 paragraphs."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    sections, current = {"cover": ""}, "cover"
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.style.name == "Heading 1":
                current = block.text.strip()
                sections.setdefault(current, "")
                continue
            sections[current] += block.text + "\n"
        elif isinstance(block, Table):
            sections[current] += table_text(block, Paragraph)
    return sections


def table_text(table, paragraph_type) -> str:
    lines = []
    for row in table.rows:
        seen = []
        for cell in row.cells:
            if cell._tc in seen:  # a merged cell repeats
                continue
            seen.append(cell._tc)
            lines.append(cell.text)
    return "\n".join(lines) + "\n"


def find_wrapped(text: str, fact: str, start: int = 0, window: int = 400) -> int:
    """Where ``fact`` begins in folded ``text`` at or after ``start``, allowing it to be
    broken into pieces (a table cell wrapped over lines, interleaved with its
    neighbours) that follow one another within ``window`` characters; -1 if absent."""
    fact = fold(fact)
    first = text.find(fact, start)
    if first >= 0:
        return first
    for size in range(len(fact) - 1, 3, -1):
        begin = text.find(fact[:size], start)
        while begin >= 0:
            if _rest_follows(text, fact[size:], begin + size, window):
                return begin
            begin = text.find(fact[:size], begin + 1)
    return -1


def _rest_follows(text: str, rest: str, cursor: int, window: int) -> bool:
    while rest:
        scope = text[cursor : cursor + window]
        size = len(rest)
        while size >= min(4, len(rest)) and scope.find(rest[:size]) < 0:
            size -= 1
        if size < min(4, len(rest)):
            return False
        cursor += scope.find(rest[:size]) + size
        rest = rest[size:]
    return True


def missing_facts(section: str, facts: list) -> list[str]:
    """Facts absent from a section: a string must appear (in order after the previous
    fact); a tuple is a table row whose cells must appear close together."""
    text, cursor, missing = fold(section), 0, []
    for fact in facts:
        if isinstance(fact, str):
            position = find_wrapped(text, fact, cursor)
            if position < 0:
                missing.append(fact)
            else:
                cursor = position
            continue
        head = find_wrapped(text, fact[0], cursor)
        # Cells of a wrapped row may come out before the first cell's text does.
        near = text[max(0, head - 300) : head + 600]
        if head < 0 or any(find_wrapped(near, cell) < 0 for cell in fact[1:]):
            missing.append(" | ".join(fact))
        else:
            cursor = head
    return missing


def check_sections(sections: dict[str, str], expected: list[tuple[str, list]]) -> list[str]:
    """Every expected section present, in order of the headings given, with its facts."""
    problems = []
    for heading, facts in expected:
        if heading not in sections:
            problems.append(f"section missing: {heading} (have {list(sections)})")
            continue
        problems.extend(f"{heading}: {fact}" for fact in missing_facts(sections[heading], facts))
    order = [h for h in sections if h in dict(expected)]
    if order != [h for h, _facts in expected if h in sections]:
        problems.append(f"sections out of order: {order}")
    return problems


def office_pdf_sections(pdf: bytes, title: str, chapters: list[str]) -> dict[str, str]:
    """Pages of an office suite's PDF of the Word file, grouped by chapter: a chapter
    starts on a page whose first line after the running header is its heading (every
    Heading 1 begins a page); "目次" is the contents page, "cover" page 1."""
    sections, current = {}, "cover"
    for _number, heading, lines in office_pdf_pages(pdf, title, chapters):
        current = heading or current
        sections[current] = sections.get(current, "") + "\n".join(lines) + "\n"
    return sections


def chapter_start_pages(pdf: bytes, title: str, chapters: list[str]) -> dict[str, int]:
    """The page number (from 1) on which each chapter's heading stands."""
    return {
        heading: number
        for number, heading, _lines in office_pdf_pages(pdf, title, chapters)
        if heading
    }


def office_pdf_pages(pdf: bytes, title: str, chapters: list[str]):
    """(page number, the chapter heading it begins with or None, its lines without the
    running header, the heading and the page number) for every page."""
    known = {fold(chapter): chapter for chapter in [*chapters, "目次"]}
    for number, page in enumerate(pdf_text(pdf).split("\f"), start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        if number == 1:
            yield number, "cover", lines
            continue
        if not lines:
            continue
        assert fold(lines[0]) == fold(title), f"running header missing: {lines[0]!r}"
        lines = lines[1:]
        if lines and FOOTER.match(lines[-1].strip()):
            lines = lines[:-1]
        heading = known.get(fold(lines[0])) if lines else None
        yield number, heading, lines[1:] if heading else lines


@dataclass(frozen=True)
class Word:
    """A word as pdftotext -bbox places it (points from the page's top left)."""

    page: int
    x_min: float
    y_min: float
    x_max: float
    text: str


def pdf_words(pdf: bytes) -> tuple[float, list[Word]]:
    """The page width and every word with its position (``pdftotext -bbox``)."""
    from xml.etree import ElementTree

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        path.write_bytes(pdf)
        html = subprocess.run(
            ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    pages = ElementTree.fromstring(html).findall(".//x:page", ns)
    words = [
        Word(n, float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), w.text or "")
        for n, page in enumerate(pages, start=1)
        for w in page.findall("x:word", ns)
    ]
    return float(pages[0].get("width")), words


def item_rows(words: list[Word], number: str, label: str) -> list[tuple[Word, Word]]:
    """(label, first content word) of the item-table rows reading ``number label …``: the
    number, the label just right of it, the content further right on the same line."""
    rows = []
    for n, word in enumerate(words[:-2]):
        label_word, content = words[n + 1], words[n + 2]
        if (
            word.text == number
            and label_word.text == label
            and _same_line(word, label_word)
            and _same_line(label_word, content)
            and word.x_max < label_word.x_min < label_word.x_max < content.x_min
        ):
            rows.append((label_word, content))
    return rows


def _same_line(a: Word, b: Word) -> bool:
    return a.page == b.page and abs(a.y_min - b.y_min) < 2


def table_rows(
    words: list[Word], header: list[str], last_label: str
) -> list[tuple[str, list[str]]]:
    """A table as laid out in a PDF: (the first line of its label, the value cells) for
    every row, read on each page where ``header``'s words (the first line of each
    column's heading, in order) stand on one line, up to the row labelled
    ``last_label``. A value belongs to the column whose heading's centre is nearest;
    the label column ends half a column before the first value column's centre. A
    page's table ends at its footer; lines without a label (a label or heading wrapped
    onto a second line) are passed over."""

    def centre(word):
        return (word.x_min + word.x_max) / 2

    lines: dict[tuple[int, float], list[Word]] = {}
    for word in words:
        key = next(
            (k for k in lines if k[0] == word.page and abs(k[1] - word.y_min) < 2),
            (word.page, word.y_min),
        )
        lines.setdefault(key, []).append(word)
    rows, heads, done = [], None, False
    for (_page, _y), line in sorted(lines.items()):
        line.sort(key=lambda w: w.x_min)
        if [w.text for w in line] == header:
            heads = [centre(w) for w in line[1:]]
            label_edge = heads[0] - (heads[1] - heads[0]) / 2
            continue
        if FOOTER.match("".join(w.text for w in line)):
            heads = None
        if heads is None or done:
            continue
        label = "".join(w.text for w in line if w.x_max <= label_edge)
        if not label:
            continue
        cells = [""] * len(heads)
        for word in line:
            if word.x_max > label_edge:
                column = min(range(len(heads)), key=lambda n: abs(heads[n] - centre(word)))
                cells[column] += word.text
        if any(cells):
            rows.append((label, cells))
            done = fold(label) == fold(last_label)
    return rows


def pdf_layout_text(pdf: bytes) -> str:
    """The PDF's text as ``pdftotext -layout`` lays it out (a table's row on one line)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def row_of(text: str, *words: str) -> list[str]:
    """The whitespace-split cells of the one line holding all ``words``."""
    lines = [line.split() for line in text.splitlines() if all(w in line for w in words)]
    assert len(lines) == 1, (words, lines)
    return lines[0]
