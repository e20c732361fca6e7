"""renkei report 2024 --format pdf|docx|html|xlsx|png-pages --output PATH [--final].

``--format png-pages`` writes every page as a PNG for people to look at: the PDF's pages,
or with ``--from docx`` the Word file's pages as LibreOffice lays them out."""

import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from renkei.programmes.models import FiscalYear
from renkei.reports.models import ReportEdition
from renkei.reports.office import OfficeError, docx_to_pdf
from renkei.reports.renderers import formats
from renkei.reports.services import ReportError, issue_report, render_report
from renkei.tenancy.models import Union

PAGE_IMAGES = "png-pages"


class Command(BaseCommand):
    help = "事業報告書を作成します（--final で発行して保存します）。"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="年度（西暦）。令和6年度は 2024")
        parser.add_argument("--format", default="pdf", choices=[*formats(), PAGE_IMAGES])
        parser.add_argument("--output", help="出力先のファイル（png-pages はフォルダ）")
        parser.add_argument("--union", help="組合の識別名（組合が1つなら省略可）")
        parser.add_argument("--strict", action="store_true", help="確認で問題があれば作成しない")
        parser.add_argument("--final", action="store_true", help="発行して保存する（新しい版）")
        parser.add_argument("--template", help="Word の雛形（.docx）")
        parser.add_argument(
            "--reason", default="", help="確認の問題が残ったまま --final で発行する理由"
        )
        parser.add_argument(
            "--edition",
            default=ReportEdition.INTERNAL,
            choices=list(ReportEdition.values),
            help="public: 公開版（公開した活動と写真だけ）、internal: 内部版（既定）",
        )
        parser.add_argument(
            "--from",
            dest="source",
            default="pdf",
            choices=["pdf", "docx"],
            help="png-pages の元: pdf（既定）か docx（LibreOffice で組版）",
        )

    def handle(self, *args, **options):
        fiscal_year = self._fiscal_year(options["year"], options["union"])
        fmt = options["format"]
        if options["source"] != "pdf" and fmt != PAGE_IMAGES:
            raise CommandError(_("--from は --format png-pages のときに指定します。"))
        word = fmt == "docx" or (fmt == PAGE_IMAGES and options["source"] == "docx")
        extra = {"template": options["template"]} if options["template"] and word else {}
        extra["edition"] = options["edition"]
        try:
            if fmt == PAGE_IMAGES:
                return self._pages(fiscal_year, options, extra)
            if options["final"]:
                issued = issue_report(
                    fiscal_year, fmt, strict=options["strict"], reason=options["reason"], **extra
                )
                self._warn(issued.findings)
                content, name = issued.file.read(), Path(issued.file.name).name
                self.stdout.write(
                    _("第%(v)s版を発行しました（SHA-256 %(sha)s）。")
                    % {"v": issued.version, "sha": issued.sha256}
                )
            else:
                rendered = render_report(fiscal_year, fmt, strict=options["strict"], **extra)
                self._warn([str(f) for f in rendered.findings])
                content, name = rendered.content, rendered.filename
        except (ReportError, OfficeError) as error:
            raise CommandError(str(error)) from error
        output = Path(options["output"] or name)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(content)
        self.stdout.write(_("%(path)s に書き出しました。") % {"path": output})

    def _fiscal_year(self, year: int, slug: str | None) -> FiscalYear:
        unions = Union.objects.all()
        if slug:
            unions = unions.filter(slug=slug)
        elif unions.count() > 1:
            raise CommandError(_("組合が複数あります。--union で識別名を指定してください。"))
        union = unions.first()
        if union is None:
            raise CommandError(_("組合が見つかりません。"))
        fiscal_year = FiscalYear.objects.filter(union=union, year=year).first()
        if fiscal_year is None:
            raise CommandError(_("%(year)s年度の記録がありません。") % {"year": year})
        return fiscal_year

    def _warn(self, findings: list[str]) -> None:
        for finding in findings:
            self.stderr.write(_("確認: %(finding)s") % {"finding": finding})

    def _pages(self, fiscal_year, options, extra) -> None:
        """Every page of the PDF (or of the Word file, laid out by LibreOffice) as a PNG,
        for people to look at."""
        word = options["source"] == "docx"
        rendered = render_report(
            fiscal_year, "docx" if word else "pdf", strict=options["strict"], **extra
        )
        self._warn([str(f) for f in rendered.findings])
        content = docx_to_pdf(rendered.content) if word else rendered.content
        folder = Path(
            options["output"]
            or ("artifacts/report-pages-docx" if word else "artifacts/report-pages")
        )
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("page-*.png"):
            old.unlink()
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / "report.pdf"
            pdf.write_bytes(content)
            # Fixed arguments, no shell: Debian's poppler-utils on the PATH.
            subprocess.run(  # noqa: S603
                ["pdftoppm", "-r", "100", "-png", str(pdf), str(folder / "page")],  # noqa: S607
                check=True,
            )
        count = len(list(folder.glob("page-*.png")))
        self.stdout.write(
            _("%(n)sページを %(path)s に書き出しました。") % {"n": count, "path": folder}
        )
