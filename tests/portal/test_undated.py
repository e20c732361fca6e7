"""Public activities without a recorded date (as the FY2024 partnership initiatives ①–⑦):
listed on the portal under their fiscal year and pillar, left out of the calendar feeds
and the open-data event list, which say so."""

import re

import icalendar
import pytest

from renkei.programmes.models import Activity
from renkei.programmes.services import set_leads
from renkei.tenancy.models import Organisation

INITIATIVES = Activity.objects.filter(group__programme__number=1, group__number=3)
MONO = [
    "札の辻スクエア3階イベントスペース 「米沢市紅花フラワーアレンジメント展示」",
    "札の辻スクエア9階産業振興センター 「伝統工芸品展示」",
    "港区デジタルサイネージでのPR動画の放映",
    "港区立エコプラザ「ちいき百貨」での木工品等の展示",
]
YONEZAWA, NANYO = "062022", "062138"


@pytest.fixture
def undated(public_year, create_programme, create_activity):
    """``public_year`` (four dated public activities) and seven public activities with
    no schedule day: the four ``MONO`` ones (もの) in two programmes made before them, so
    that their ids do not follow programme order — the last two were made first, in the
    second programme; 南陽市 leads the 伝統工芸品展示, 米沢市 the 紅花 one; one
    undated ひと (南陽市議会議員港区行政視察) and two こと. By title: ``year.by_title``."""
    year = public_year
    first, second = (create_programme(year).first_group for _ in range(2))
    pillars = {p.key: p for p in year.union.projects.get().pillars.all()}
    for group, title, pillar in [
        (second, MONO[2], "mono"),
        (second, MONO[3], "mono"),
        (first, MONO[0], "mono"),
        (first, MONO[1], "mono"),
        (None, "南陽市議会議員港区行政視察", "hito"),
        (None, "観光パンフレットの配架", "koto"),
        (None, "ふるさと納税の紹介", "koto"),
    ]:
        activity = create_activity(year, group=group, title=title, is_public=True)
        activity.pillars.add(pillars[pillar])
        year.by_title[title] = activity
    set_leads(year.by_title[MONO[1]], [Organisation.objects.get(code=NANYO)])
    set_leads(year.by_title[MONO[0]], [Organisation.objects.get(code=YONEZAWA)])
    return year


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def undated_section(page: str) -> str:
    match = re.search(r"日付のない取組（令和6年度）</h[23]>(.*?)</section>", page, re.S)
    assert match, "no section of FY2024's undated activities"
    return match.group(1)


@pytest.mark.reference
def test_the_seed_publishes_the_seven_initiatives(fy2024):
    assert INITIATIVES.count() == INITIATIVES.filter(is_public=True, days__isnull=True).count() == 7


def test_mono_pillar_lists_the_four_mono_initiatives_in_order(client, undated):
    section = undated_section(html(client.get("/activities/?pillar=mono")))
    assert [t for t in MONO if t in section] == MONO
    positions = [section.index(t) for t in MONO]
    assert positions == sorted(positions)  # programme, item, number
    assert "南陽市議会議員港区行政視察" not in section  # ひと
    assert "令和6年度（日付の記録なし）" in section


def test_year_and_municipality_filters_apply_to_the_undated(client, undated):
    assert "日付のない取組" in html(client.get("/activities/?year=2024"))
    assert "日付のない取組" not in html(client.get("/activities/?year=2023"))
    nanyo = undated_section(html(client.get(f"/activities/?municipality={NANYO}")))
    assert "伝統工芸品展示" in nanyo and "紅花フラワーアレンジメント" not in nanyo
    member_page = undated_section(html(client.get(f"/municipalities/{NANYO}/")))
    assert "伝統工芸品展示" in member_page


def test_each_undated_activity_comes_on_exactly_one_page(client, undated):
    from tests.factories import copy_public_activities

    copy_public_activities(6)  # 4 dated and 7 undated public activities → 28 + 49
    seen, url, pages = [], "/activities/", []
    for _page in range(6):
        page = html(client.get(url))
        pages.append(page)
        seen += re.findall(r'href="/activities/(\d+)/"', page)
        cursor = re.search(r'href="\?(?:[^"]*&amp;)?cursor=([^"&]+)"[^>]*rel="next"', page)
        if not cursor:
            break
        url = f"/activities/?cursor={cursor.group(1)}"
    assert len(seen) == len(set(seen)) == 77
    assert ["日付のない取組" in p for p in pages] == [False, True]  # after FY2024's last day


def test_undated_activity_page(client, undated):
    activity = undated.by_title[MONO[2]]
    page = html(client.get(f"/activities/{activity.pk}/"))
    assert "港区デジタルサイネージでのPR動画の放映" in page
    assert "令和6年度（日付の記録なし）" in page and "もの" in page


def test_calendar_and_open_data_leave_them_out_and_say_so(client, undated):
    titles = set(Activity.objects.filter(days__isnull=True).values_list("title", flat=True))
    assert len(titles) == 7
    for url in ("/calendar.ics", "/calendar/pillars/mono.ics"):
        calendar = icalendar.Calendar.from_ical(client.get(url).content)
        assert not titles & {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    events = client.get("/opendata/events.json?year=2024").content.decode()
    assert not [t for t in titles if t in events]
    assert (
        "日付の記録がない公開中の取組（7件）は、開始日が必須のイベント一覧には含めていません"
        in (html(client.get("/opendata/")))
    )
