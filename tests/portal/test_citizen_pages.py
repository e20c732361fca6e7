"""What brings a citizen back (issue 14 item 7): titles carry their year, an empty pillar
says why, a town's page lists what it led apart from what it took part in and shows no
local government code, a calendar page with the month and how to subscribe, a search
that ignores kana and width, the union's contact and the update date on every page."""

import re

import pytest

from renkei.programmes.models import Activity, FiscalYear
from renkei.programmes.search import normalise
from renkei.tenancy.models import Union
from tests.factories import copy_public_activities

YONEZAWA, NANYO = "062022", "062138"


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def visible_text(page: str) -> str:
    body = re.sub(r"<(head|script|style)\b.*?</\1>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_cards_and_pages_carry_the_year(client, public_year):
    training = public_year.by_title["交流研修"]
    # A second year's 交流研修: the two cards must not read alike.
    later = FiscalYear.objects.create(union=public_year.union, year=2025)
    programme = training.group.programme
    programme.pk, programme.fiscal_year = None, later
    programme.save()
    group = training.group
    group.pk, group.programme = None, programme
    group.save()
    Activity.objects.create(group=group, title="交流研修", kind=training.kind, is_public=True)
    page = visible_text(html(client.get("/activities/")))
    assert "交流研修 （令和6年度）" in page and "交流研修 （令和7年度）" in page
    detail = html(client.get(f"/activities/{training.pk}/"))
    assert "<title>交流研修（令和6年度） |" in detail


def test_a_pillar_without_public_activities_says_why(client, public_year):
    home = html(client.get("/"))
    assert 'href="/activities/?pillar=koto"' in home
    for activity in Activity.objects.filter(pillars__key="koto"):
        activity.is_public = False
        activity.save()
    home = html(client.get("/"))
    assert 'href="/activities/?pillar=koto"' not in home
    assert "「こと」の活動は、まだ公開していません。" in home
    assert "「ひと」の活動（" in home
    listing = html(client.get("/activities/?pillar=koto"))
    assert "事務局が内容を確認して公開すると" in listing


def test_a_towns_page_lists_what_it_led_apart_and_shows_no_code(client, calendar_year):
    page = html(client.get(f"/municipalities/{NANYO}/"))
    assert YONEZAWA not in visible_text(html(client.get(f"/municipalities/{YONEZAWA}/")))
    assert NANYO not in visible_text(page)
    assert "全国地方公共団体コード" not in page
    led = page.split('id="led"')[1].split('id="attended"')[0]
    attended = page.split('id="attended"')[1]
    assert "伝統工芸品展示" in led  # 南陽市 led it
    assert "交流研修" in attended and "交流研修" not in led
    assert "伝統工芸品展示" not in attended


def test_calendar_page_shows_the_month_and_how_to_subscribe(client, calendar_year):
    page = html(client.get("/calendar/?month=2025-03"))
    text = visible_text(page)
    assert "活動カレンダー（令和7年3月）" in text
    assert "令和7年3月11日(火)" in text and "令和7年3月12日(水)" in text  # a two-day training
    assert text.count("交流研修") >= 2
    assert 'href="webcal://testserver/calendar.ics"' in page
    assert "Google カレンダー" in text and "Outlook" in text and "URL で追加" in text
    assert 'href="webcal://testserver/calendar/pillars/hito.ics"' in page
    assert f'href="webcal://testserver/calendar/municipalities/{NANYO}.ics"' in page
    assert 'href="?month=2025-02"' in page  # the previous month with activities
    empty = visible_text(html(client.get("/calendar/?month=2023-04")))
    assert "公開中の活動はありません" in empty
    assert client.get("/calendar/?month=2025-13").status_code == 400
    assert client.get("/calendar/?month=R7-3").status_code == 400
    # The footer leads to the page, not to a file download.
    footer = html(client.get("/")).split('<footer class="site-footer">')[1]
    assert 'href="/calendar/"' in footer and 'href="/calendar.ics"' not in footer


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("交流研修", "交流研修"),
        ("ＤＸ", "自治体DX研修会"),  # full-width
        ("dx", "自治体DX研修会"),  # case
        ("ﾜｰｹｰｼｮﾝ", "港区連携自治体ワーケーション促進事業"),  # half-width katakana
        ("わーけーしょん", "港区連携自治体ワーケーション促進事業"),  # hiragana
        ("ふれあい", None),
        ("港区　ワーケーション", "港区連携自治体ワーケーション促進事業"),  # both words
    ],
)
def test_search_ignores_kana_and_width(client, public_year, query, found):
    page = html(client.get("/search/", {"q": query}))
    if found is None:
        assert "見つかりませんでした" in page
    else:
        assert found in page and "見つかりませんでした" not in page


def test_search_finds_only_public_activities_and_follows_edits(client, public_year):
    hidden = Activity.objects.filter(is_public=False).first()
    hidden.title = "秘密の打合せ"
    hidden.save()
    assert "秘密の打合せ" not in html(client.get("/search/", {"q": "秘密"}))
    shown = Activity.objects.get(title="自治体GX研修会")
    shown.theme = "カーボンニュートラル"
    shown.save(update_fields=["theme"])
    assert "自治体GX研修会" in html(client.get("/search/", {"q": "かーぼん"}))
    shown.refresh_from_db()
    assert normalise("カーボンニュートラル") in shown.search_text


def test_search_input_is_checked(client, public_year):
    assert client.get("/search/", {"q": "あ" * 101}).status_code == 400
    assert client.get("/search/", {"q": "a b c d e f"}).status_code == 400
    refused = client.get("/search/", {"q": "研修\x00"})  # PostgreSQL refuses NUL: a 400
    assert refused.status_code == 400 and "使えない文字" in refused.content.decode()
    assert client.get("/search/", {"q": "研修", "page": "0"}).status_code == 400
    assert "活動を探す" in html(client.get("/search/"))


# Measured, and the same at 11 and at 121 public activities: the search is two queries
# over the page's frame, the calendar month four (days, activities, months before and
# after) plus prefetches, a town's page two timeline pages and the unknown list.
PAGE_QUERIES = {
    "/search/?q=研修": 8,
    "/calendar/?month=2025-03": 13,
    f"/municipalities/{NANYO}/": 15,  # days with their venues in one query: 16 -> 15
}


@pytest.mark.parametrize("copies", [0, 10])
def test_query_counts_of_the_new_pages_do_not_grow(
    client, calendar_year, django_assert_num_queries, copies
):
    from django.core.cache import cache

    copy_public_activities(copies)
    for url, queries in PAGE_QUERIES.items():
        cache.clear()  # each a first render: the union is kept per public data version
        with django_assert_num_queries(queries):
            html(client.get(url))


def test_search_pages_through_its_results(client, calendar_year):
    copy_public_activities(10)
    assert 'rel="next"' in html(client.get("/search/", {"q": "研修"}))
    assert 'rel="prev"' in html(client.get("/search/", {"q": "研修", "page": "2"}))


def test_every_page_has_the_contact_and_update_date(client, calendar_year):
    union = Union.objects.get(slug="okitama")
    union.contact_section, union.phone, union.email = "事務局", "0238-00-0000", "jimu@example.jp"
    union.address = "山形県米沢市金池三丁目1番55号"
    union.save()
    training = calendar_year.by_title["交流研修"]
    for url in [
        "/",
        "/activities/",
        f"/activities/{training.pk}/",
        f"/municipalities/{NANYO}/",
        "/calendar/?month=2025-03",
        "/calendar/",
        "/search/?q=研修",
        "/annual-reports/",
        "/accessibility/",
        "/opendata/",
    ]:
        page = html(client.get(url))
        assert "山形県米沢市金池三丁目1番55号" in page, url
        assert 'href="tel:0238000000"' in page and "jimu@example.jp" in page, url
        assert re.search(r"このページの更新日: <time datetime=\"\d{4}-\d\d-\d\d\">令和", page), url


def test_a_publication_change_reaches_the_cached_pages(client, public_year, settings):
    settings.RENKEI_PUBLIC_CACHE_SECONDS = 60
    assert "自治体GX研修会" in html(client.get("/search/", {"q": "GX"}))
    assert "自治体GX研修会" in html(client.get("/calendar/?month=2025-02"))
    gx = Activity.objects.get(title="自治体GX研修会")
    gx.is_public = False
    gx.save()
    assert "自治体GX研修会" not in html(client.get("/search/", {"q": "GX"}))
    assert "自治体GX研修会" not in html(client.get("/calendar/?month=2025-02"))
