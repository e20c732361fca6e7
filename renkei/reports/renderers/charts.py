"""Charts of the statistics (matplotlib, IPAex Gothic): attendance by member
municipality and expenditure by section. Deterministic: same data, same bytes."""

import base64
import io

from django.utils.translation import gettext as _

from .fonts import font_path

COLOUR = "#0017c1"
UNATTRIBUTED_COLOUR = "#9e9e9e"  # not a member: grey


def _figure(width: float, height: float):
    from matplotlib import font_manager, rcParams
    from matplotlib.figure import Figure

    font_manager.fontManager.addfont(font_path())
    name = font_manager.FontProperties(fname=font_path()).get_name()
    rcParams["font.family"] = name
    rcParams["svg.hashsalt"] = "renkei-report"
    rcParams["svg.fonttype"] = "path"
    figure = Figure(figsize=(width, height), dpi=100)
    return figure, figure.add_subplot()


def _save(figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    figure.savefig(buffer, format=fmt, metadata=metadata, bbox_inches="tight", dpi=150)
    return buffer.getvalue()


def captions() -> dict[str, str]:
    """The charts' captions, the same in every format."""
    return {
        "attendance": _(
            "図1 構成市町別の出席者数（人数の記録がある分のみ。内訳不明は、"
            "出席者数の合計のうち団体別の人数が記録されていない人数）"
        ),
        "expenditure": _("図2 節別の支出額"),
    }


def attendance_chart(report, fmt: str = "svg") -> bytes | None:
    """Bar chart: the known counts of people from each member municipality over the
    year, and a 内訳不明 bar for the known totals' unattributed part. None when no member
    has a known count (the chart would say nothing)."""
    st = report.statistics
    if not st.members or not any(st.attendance_by_member):
        return None
    labels = [*st.members, _("内訳不明")]
    values = [*st.attendance_by_member, st.attendance_unattributed]
    figure, axes = _figure(6.4, 2.6)
    bars = axes.bar(labels, values, color=[COLOUR] * len(st.members) + [UNATTRIBUTED_COLOUR])
    axes.bar_label(bars, labels=[f"{n:,}名" for n in values], fontsize=8)
    axes.set_ylabel(_("出席者数（名）"))
    axes.set_ylim(0, max(values) * 1.15)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="x", labelsize=9)
    return _save(figure, fmt)


def expenditure_chart(report, fmt: str = "svg") -> bytes | None:
    """Horizontal bar chart: settled expenditure by section (節) in yen."""
    rows = [
        (label, amount) for label, amount in report.statistics.expenditure_by_section if amount > 0
    ]
    if not rows:
        return None
    labels = [label for label, _amount in rows][::-1]
    amounts = [amount for _label, amount in rows][::-1]
    from matplotlib.ticker import MaxNLocator

    figure, axes = _figure(6.4, 0.35 * len(rows) + 0.8)
    bars = axes.barh(labels, amounts, color=COLOUR)
    axes.bar_label(bars, labels=[f"{a:,}円" for a in amounts], fontsize=8, padding=3)
    axes.set_xlabel(_("決算額（円）"))
    axes.xaxis.set_major_locator(MaxNLocator(4))
    axes.xaxis.set_major_formatter(lambda value, _pos: f"{int(value):,}")
    axes.set_xlim(0, max(amounts) * 1.25)
    axes.spines[["top", "right"]].set_visible(False)
    return _save(figure, fmt)


def _uri(svg: bytes | None) -> str:
    return f"data:image/svg+xml;base64,{base64.b64encode(svg).decode('ascii')}" if svg else ""


def chart_uris(report) -> dict[str, str]:
    """The charts as data: URIs for <img> (an SVG in <img> never runs scripts)."""
    return {
        "attendance": _uri(attendance_chart(report)),
        "expenditure": _uri(expenditure_chart(report)),
    }
