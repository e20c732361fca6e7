"""A member's share notice (負担金の額の通知書) as PDF and Word, on the report's machinery:
the same font and WeasyPrint set-up for the PDF, the same Word template and writer for the
.docx. A data function turns a computed share into plain values; the renderers read only
those, so the PDF and the Word file say the same thing."""

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from renkei import wareki
from renkei.errors import RenkeiError
from renkei.finance.shares import ROUNDING_RULE, MemberShare, ShareTable

from . import formatting as fmt
from .renderers.docx import Writer, blank_document
from .renderers.fonts import FONT_FAMILY, font_path
from .renderers.pdf import html_to_pdf
from .renderers.zipfix import normalise_zip


@dataclass(frozen=True)
class ShareNotice:
    """What a notice says, as printed."""

    union_name: str
    member_name: str
    issued_on: str
    title: str
    heading: str
    lead: str
    rows: list[tuple[str, str]]
    rule: str
    rounding: str
    file_stem: str


def share_notice(table: ShareTable, share: MemberShare, issued_on: date) -> ShareNotice:
    """The notice of ``share`` (a row of ``table``); refused while it cannot be computed."""
    if share.amount is None or table.rule is None:
        raise RenkeiError(
            _("負担額を計算できないため、通知書を作れません。%(problem)s")
            % {"problem": table.problem}
        )
    year = table.fiscal_year
    rule = table.rule
    year_label = wareki.format_fiscal_year(year.year)
    title = fmt.clean_text(rule.title)
    figure = share.figure
    rows = [
        (_("負担金額"), _("%(yen)s円") % {"yen": fmt.yen(share.amount)}),
        (_("うち均等割額"), _("%(yen)s円") % {"yen": fmt.yen(share.equal_part)}),
        (_("うち人口割額"), _("%(yen)s円") % {"yen": fmt.yen(share.population_part)}),
    ]
    if figure is not None:
        rows.append(
            (
                _("算定の基礎とした人口"),
                _("%(n)s人（%(source)s、%(date)s現在）")
                % {
                    "n": f"{figure.population:,}",
                    "source": fmt.clean_text(figure.source),
                    "date": wareki.format_date(figure.reference_date),
                },
            )
        )
    rows.append(
        (
            _("負担総額"),
            _("%(total)s円（均等割 %(equal)s円、人口割 %(population)s円）")
            % {
                "total": fmt.yen(rule.total),
                "equal": fmt.yen(table.equal_total),
                "population": fmt.yen(table.population_total),
            },
        )
    )
    if rule.due_on:
        rows.append((_("納期限"), wareki.format_date(rule.due_on)))
    member = fmt.clean_text(share.organisation.label)
    return ShareNotice(
        union_name=fmt.clean_text(year.union),
        member_name=member,
        issued_on=wareki.format_date(issued_on),
        title=_("%(year)s %(title)sの額の通知書") % {"year": year_label, "title": title},
        heading=_("%(member)s 御中") % {"member": member},
        lead=_("%(year)sの%(title)sの額を、次のとおり通知します。")
        % {"year": year_label, "title": title},
        rows=rows,
        rule=table.rule_text(),
        rounding=str(ROUNDING_RULE),
        file_stem=f"share-notice-{year.year}-{share.organisation.code or share.organisation.pk}",
    )


def render_notice_pdf(notice: ShareNotice) -> bytes:
    """The notice as an A4 PDF in the report's font."""
    with translation.override("ja"):
        html = render_to_string(
            "reports/share_notice.html",
            {"n": notice, "font_family": FONT_FAMILY, "font_url": Path(font_path()).as_uri()},
        )
    return html_to_pdf(html)


def render_notice_docx(notice: ShareNotice) -> bytes:
    """The notice as an editable Word file on the report's template."""
    with translation.override("ja"):
        document = blank_document()
        w = Writer(document)
        w.paragraph(notice.issued_on, align=WD_ALIGN_PARAGRAPH.RIGHT)
        w.paragraph(notice.heading)
        w.paragraph(notice.union_name, align=WD_ALIGN_PARAGRAPH.RIGHT)
        w.heading(notice.title, 1)
        w.prose(notice.lead)
        w.table(None, [list(row) for row in notice.rows], widths=[Cm(5), None])
        w.prose(notice.rule)
        w.prose(notice.rounding)
        properties = document.core_properties
        properties.title = notice.title
        properties.author = properties.last_modified_by = notice.union_name
        properties.created = properties.modified = datetime(2000, 1, 1)
        properties.revision = 1
        buffer = io.BytesIO()
        document.save(buffer)
    return normalise_zip(buffer.getvalue())
