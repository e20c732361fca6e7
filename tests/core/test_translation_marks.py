"""Every word a person reads in a page is marked for translation: no Japanese letters
(kana or kanji) stand in a template outside {% translate %} / {% blocktranslate %}.
Punctuation such as （）・— may stand between translated pieces."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "renkei"
TEMPLATES = sorted(p for p in ROOT.rglob("templates/**/*") if p.suffix in {".html", ".txt"})
# Hiragana, katakana (without the middle dot ・) and CJK ideographs.
LETTERS = re.compile(r"[\u3041-\u309f\u30a0-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+")
# What may hold Japanese: translation blocks, and the template language's own tags,
# variables and comments (whose text is not shown as written).
MARKED = re.compile(
    r"\{%\s*blocktranslate.*?%\}.*?\{%\s*endblocktranslate\s*%\}|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}",
    re.S,
)


def unmarked(text: str) -> list[str]:
    return LETTERS.findall(MARKED.sub("", text))


def test_the_scan_finds_unmarked_text():
    assert unmarked('<p>{% translate "保存" %}</p><p>削除</p>') == ["削除"]
    assert (
        unmarked("{% blocktranslate with n=x %}{{ n }}件{% endblocktranslate %}（{{ y }}）") == []
    )


def test_templates_are_found():
    assert len(TEMPLATES) > 30


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_text_is_marked_for_translation(path):
    assert unmarked(path.read_text(encoding="utf-8")) == []
