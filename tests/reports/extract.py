"""Reading a rendered report back as text, split by section, and matching facts in it."""

import io
import re
import subprocess
import tempfile
import unicodedata
from pathlib import Path

FOOTER = re.compile(r"^-\s*\d+\s*-$")


def fold(text: str) -> str:
    """Compare text as a reader does: widths folded (NFKC), no spaces or line breaks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True, text=True).stdout


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
        scope = text[cursor:cursor + window]
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
        near = text[max(0, head - 300):head + 600]
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
