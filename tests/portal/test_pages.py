"""Public portal pages: content, public-only records, strict parameters, caching and a
fixed number of queries."""

import hashlib
import re

import pytest
from django.core.files.base import ContentFile

from renkei.programmes.models import (
    Activity,
    AttendanceComposition,
    Lecturer,
    Photo,
    Venue,
)
from renkei.tenancy.models import Organisation
from tests.factories import copy_public_activities

PAGES = [
    "/",
    "/activities/",
    "/activities/?year=2024&pillar=hito&municipality=062138",
    "/municipalities/062022/",
    "/annual-reports/",
    "/accessibility/",
    "/opendata/",
    "/api/docs/",
]


@pytest.fixture
def year(create_two_town_union, create_report_year):
    """FY2024 of a union of 米沢市 and 南陽市, whose 交流研修 (2 November, 22 people,
    lecturer 箕浦 龍一) is public; and a private ZEB導入セミナー."""
    year = create_report_year(create_two_town_union(), 2024)
    Activity.objects.filter(pk=year.activity.pk).update(is_public=True)
    year.private = Activity.objects.create(
        group=year.activity.group, sub_number=2, title="ZEB導入セミナー", kind="workshop"
    )
    return year


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_page_has_title_description_and_opengraph(client, calendar_year, url):
    page = html(client.get(url))
    assert '<html lang="ja">' in page
    title = re.search(r"<title>(.+?)</title>", page).group(1)
    assert title.strip() and "おきたま×みなと" in title
    for name in ('name="description"', 'property="og:title"', 'property="og:description"'):
        content = re.search(rf'<meta {name} content="([^"]*)"', page).group(1)
        assert content.strip(), name
    assert "<script" not in page  # readable without JavaScript


def test_home_shows_concept_pillars_and_lines(client, public_year):
    page = html(client.get("/"))
    assert "おきたま×みなと開港プロジェクト" in page and "置賜と港区をつなぐ。" in page
    for text in ("ひと", "もの", "こと", "職員の交流", "物産の紹介", "観光の発信"):
        assert text in page


def test_timeline_shows_public_activities_only(client, calendar_year):
    page = html(client.get("/activities/"))
    assert "交流研修" in page and "令和7年3月11日(火)～12日(水)" in page
    assert "ZEB導入セミナー" not in page
    assert "交流研修" not in html(client.get("/activities/?pillar=koto"))
    assert "交流研修" in html(client.get("/activities/?municipality=062138"))  # attended


def test_timeline_pages_by_keyset_through_everything(client, calendar_year):
    copy_public_activities(6)  # 7 dated and 1 undated public activities → 49 + 7
    seen, url = [], "/activities/"
    for _page in range(5):
        page = html(client.get(url))
        seen += re.findall(r'href="/activities/(\d+)/"', page)
        cursor = re.search(r'href="\?(?:[^"]*&amp;)?cursor=([^"&]+)"[^>]*rel="next"', page)
        if not cursor:
            break
        url = f"/activities/?cursor={cursor.group(1)}"
    assert len(seen) == len(set(seen)) == 56


def test_activity_page_shows_public_photos_only(client, year, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = year.activity
    for caption, public in (("公開の写真", True), ("非公開の写真", False)):
        photo = Photo(
            activity=activity, caption=caption, alt_text=f"{caption}の説明", is_public=public
        )
        photo.image.save("p.png", ContentFile(b"x"), save=False)
        photo.save()
    page = html(client.get(f"/activities/{activity.pk}/"))
    assert "公開の写真" in page and "非公開の写真" not in page
    assert "箕浦 龍一" in page and "22名" in page
    assert 'property="og:type" content="article"' in page


def test_unpublished_activity_is_404(client, year):
    private = year.private
    assert client.get(f"/activities/{private.pk}/").status_code == 404
    assert client.get("/municipalities/131032/").status_code == 404  # partner, not member


@pytest.mark.parametrize(
    "query",
    [
        "year=R6",
        "year=1900",
        "pillar=sake",
        "municipality=abc",
        "cursor=yesterday",
        "cursor=2024-13-01_5",
        "sort=title",
    ],
)
def test_bad_parameters_are_400_with_a_japanese_message(client, year, query):
    response = client.get(f"/activities/?{query}")
    assert response.status_code == 400
    assert re.search("指定|条件", response.content.decode())


def test_public_pages_carry_caching_headers(client, year):
    activity = year.activity
    response = client.get(f"/activities/{activity.pk}/")
    assert "public" in response["Cache-Control"] and response["ETag"] and response["Last-Modified"]
    assert (
        client.get(f"/activities/{activity.pk}/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )
    assert (
        client.get(
            f"/activities/{activity.pk}/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]
        ).status_code
        == 304
    )


def test_issued_reports_are_listed_for_download(client, year, settings, tmp_path):
    from renkei.reports.models import IssuedReport

    settings.MEDIA_ROOT = tmp_path
    report = IssuedReport(
        fiscal_year=year,
        format="pdf",
        edition="public",
        version=1,
        sha256=hashlib.sha256(b"pdf").hexdigest(),
        size=3,
        data={},
    )
    report.file.save("report.pdf", ContentFile(b"pdf"), save=False)
    report.save()
    page = html(client.get("/annual-reports/"))
    assert f"/annual-reports/{report.pk}/download/" in page
    download = client.get(f"/annual-reports/{report.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"pdf"

    (tmp_path / report.file.name).write_bytes(b"pdX")
    damaged = client.get(f"/annual-reports/{report.pk}/download/")
    assert damaged.status_code == 404 and "一致しない" in damaged.content.decode()
    (tmp_path / report.file.name).unlink()
    missing = client.get(f"/annual-reports/{report.pk}/download/")
    assert missing.status_code == 404 and "見つかりません" in missing.content.decode()


# union, project (+pillars), members, timeline keys, the year's undated activities, the
# cards (activities, pillars, leads, days with their venues), fiscal years: the same at 11
# and at 341 public activities. A first render; a later one finds the frame (project,
# pillars, members, years) kept for the public data version (test_server_cache).
TIMELINE_QUERIES = 11
DETAIL_QUERIES = 13  # + the members-by-kind counts (attendance as known)


@pytest.mark.parametrize("copies", [0, 30])
def test_query_counts_do_not_grow_with_data(
    client, calendar_year, django_assert_num_queries, copies
):
    from django.core.cache import cache

    training = calendar_year.by_title["交流研修"]  # attended by 南陽市
    Venue.objects.create(day=training.days.get(), name="札の辻スクエア")
    Lecturer.objects.create(activity=training, name="箕浦 龍一")
    AttendanceComposition.objects.create(activity=training, kind="city", number=1)
    copy_public_activities(copies)
    with django_assert_num_queries(TIMELINE_QUERIES):
        html(client.get("/activities/?year=2024"))
    activity = Activity.objects.filter(title="交流研修", attendances__isnull=False).last()
    cache.clear()  # a first render again: the union is kept per public data version too
    with django_assert_num_queries(DETAIL_QUERIES):
        html(client.get(f"/activities/{activity.pk}/"))


def test_cards_read_with_values_are_the_model_instances_cards(calendar_year):
    """The timeline's cards (``cards.cards``, read with values()) say exactly what the
    cards built from the listing's model instances (``card_of``) say, for every record."""
    from renkei.portal.cards import card_of, cards
    from renkei.programmes.public import with_listing

    Activity.objects.update(is_public=True)
    day = calendar_year.by_title["伝統工芸品展示"].days.get()
    Venue.objects.create(day=day, name="札の辻スクエア", municipality=Organisation.objects.first())
    first = Activity.objects.order_by("pk").first()
    Activity.objects.filter(pk=first.pk).update(heading="見出しのある活動")
    instances = with_listing(Activity.objects.all()).in_bulk()
    read = cards(list(instances))
    assert len(read) == 9  # every activity of the year, the private one made public
    assert read == {pk: card_of(activity) for pk, activity in instances.items()}
    assert any(card.place for card in read.values()) and any(not c.when for c in read.values())
