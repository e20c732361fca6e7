"""docs/deploy.md and the files under deploy/ name only commands, make targets and files
that exist (issue 15: an operator copies them as they are)."""

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent.parent
GUIDE = ROOT / "docs" / "deploy.md"
DEPLOY = ROOT / "deploy"

# `renkei X`, `renkei-admin X`, and …/bin/renkei X in units and code blocks.
COMMAND = re.compile(r"(?:`|/bin/|renkei-admin |^\s+)renkei(?:-admin)? ([a-z][a-z_]*)", re.M)
ADMIN = re.compile(r"\brenkei-admin ([a-z][a-z_]*)")


def texts() -> dict[str, str]:
    files = [GUIDE, *(path for path in DEPLOY.rglob("*") if path.is_file())]
    return {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in files}


def test_every_renkei_command_named_exists():
    known = set(get_commands())
    named = {
        (name, command)
        for name, text in texts().items()
        for command in COMMAND.findall(text) + ADMIN.findall(text)
    }
    # The guide and units use these; the regex must keep finding them.
    assert {command for _name, command in named} >= {
        "worker", "backup", "send_reminders", "prune_report_jobs", "migrate", "collectstatic",
        "check", "restore", "verify_reports",
    }  # fmt: skip
    unknown = sorted((name, command) for name, command in named if command not in known)
    assert unknown == []


def test_every_make_target_named_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    named = set(re.findall(r"`make ([a-z][a-z-]*)", GUIDE.read_text(encoding="utf-8")))
    assert named and named <= targets, named - targets


def test_every_deploy_file_named_exists():
    guide = GUIDE.read_text(encoding="utf-8")
    named = set(re.findall(r"(?<![\w/])deploy/([\w./@-]*[\w@-])", guide))
    assert named
    missing = sorted(name for name in named if not (DEPLOY / name).exists())
    assert missing == []
