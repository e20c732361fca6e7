"""403, 404 and 500 are Japanese pages in the site's design that say what to do next;
the 500 page renders with neither the database nor the request."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

DESIGN = "renkei/css/staff.css"


def body(response) -> str:
    return response.content.decode("utf-8")


@pytest.mark.django_db
def test_404_for_an_unknown_staff_address(client):
    response = client.get("/staff/no-such-page/")
    assert response.status_code == 404
    page = body(response)
    assert "ページが見つかりません" in page and "トップページへ" in page
    assert DESIGN in page and '<html lang="ja">' in page
    assert "Not Found" not in page


@pytest.mark.django_db
def test_404_for_another_unions_record_names_nothing(
    client, create_two_town_union, make_user, other_union
):
    client.force_login(make_user("member", "062022", union=create_two_town_union()))
    year = other_union.fiscal_years.get()
    response = client.get(reverse("staff:year_detail", args=[year.pk]))
    assert response.status_code == 404
    page = body(response)
    assert "ページが見つかりません" in page and reverse("staff:home") in page
    assert "matches the given query" not in page  # Django's English, never shown


@pytest.mark.django_db
def test_403_says_who_to_ask(client, create_two_town_union, make_user):
    client.force_login(make_user("member", "062022", union=create_two_town_union()))
    response = client.get(reverse("staff:users"))
    assert response.status_code == 403
    page = body(response)
    assert "このページを開く権限がありません" in page and "事務局に依頼してください" in page
    assert reverse("staff:home") in page and DESIGN in page
    assert "403 Forbidden" not in page


@pytest.mark.django_db
def test_403_shows_the_reason_the_view_gave(client, create_two_town_union, create_year, make_user):
    union = create_two_town_union()
    create_year(union, 2024)
    client.force_login(make_user("partner", "131032", union=union))
    response = client.get(reverse("reports:download", args=[2024, "html"]) + "?edition=internal")
    assert response.status_code == 403
    assert "内部版の報告書をダウンロードする権限がありません" in body(response)


@pytest.mark.django_db
@pytest.mark.urls("tests.core.failing_urls")
def test_500_page_for_a_failing_view(client):
    client.raise_request_exception = False
    response = client.get("/fail/")
    assert response.status_code == 500
    page = body(response)
    assert "エラーが発生しました" in page and "事務局にお知らせください" in page
    assert DESIGN in page and "Server Error" not in page


def test_500_page_needs_no_database_and_no_request_context():
    """No django_db mark: any query here fails the test; the handler gets a bare request
    (no session, no user) as when the failure came before the middleware."""
    response = defaults.server_error(RequestFactory().get("/anything/"))
    assert response.status_code == 500
    assert "エラーが発生しました" in body(response)


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_the_japanese_page(
    create_two_town_union, make_user
):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("secretariat", union=create_two_town_union()))
    response = client.post(reverse("staff:year_create"), {"year": "2030"})
    assert response.status_code == 403
    page = body(response)
    assert "画面の有効期限が切れました" in page and "何も保存していません" in page
    assert DESIGN in page and "CSRF verification failed" not in page
