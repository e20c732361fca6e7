"""Small things that cost people time (issue 14, item 8): the reason a closed year asks
for is marked and its error shown at the field; invitations start at the least powerful
role and mail the password link; help texts reach screen readers; no developer words."""

import re
from html.parser import HTMLParser

import pytest
from django.core import mail

from renkei.programmes.models import FiscalYearState
from renkei.staff.forms import ActivityForm, BudgetLineForm, ImpressionsForm, InviteForm
from renkei.tenancy.models import Role

from .helpers import edit_form


@pytest.fixture
def closed_year(year):
    year.state = FiscalYearState.CLOSED
    year.save(update_fields=["state"])
    return year


def test_reason_is_marked_required_in_a_closed_year_only(client_as, year, initiative):
    exhibition = initiative
    client = client_as("secretariat")
    running = client.get(f"/staff/activities/{exhibition.pk}/edit/").content.decode()
    assert not re.search(r'for="id_reason">変更の理由<span class="required">', running)
    year.state = FiscalYearState.CLOSED
    year.save(update_fields=["state"])
    closed = client.get(f"/staff/activities/{exhibition.pk}/edit/").content.decode()
    assert re.search(r'for="id_reason">変更の理由<span class="required">（必須）', closed)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/staff/activities/{pk}/edit/", lambda a: edit_form(a, theme="理由なしの変更")),
        ("/staff/activities/{pk}/impressions/", lambda a: {"text": "感想", "expected": "new"}),
    ],
)
def test_missing_reason_in_a_closed_year_is_reported_at_the_field(
    client_as, closed_year, initiative, url, data
):
    exhibition = initiative
    response = client_as("secretariat").post(url.format(pk=exhibition.pk), data(exhibition))
    assert response.status_code == 400
    text = response.content.decode()
    error = text.split('id="id_reason_error"')[1].split("</div>")[0]
    assert "変更の理由を入力してください" in error
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in text
    assert '<a href="#id_reason">変更の理由</a>' in text  # the summary links to it
    exhibition.refresh_from_db()
    assert exhibition.version == 1


def test_invitation_defaults_to_the_least_powerful_role(client_as):
    form = InviteForm(organisations=None)
    assert form["role"].value() == Role.AUDITOR
    assert [value for value, _label in form.fields["role"].choices][0] == Role.AUDITOR
    page = client_as("secretariat").get("/staff/users/").content.decode()
    assert re.search(r'<option value="auditor" selected>', page)


def invite(client, staff, email):
    return client.post(
        "/staff/users/",
        {
            "username": "sato",
            "display_name": "佐藤 花子",
            "email": email,
            "organisation": staff["member"].staff_profile.organisation_id,
            "role": Role.MEMBER,
        },
    )


def test_invitation_mails_the_password_link_and_shows_it_with_a_copy_button(
    client_as, staff, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    text = invite(client_as("secretariat"), staff, "sato@example.jp").content.decode()
    link = re.search(r'<code id="invite-link">([^<]+)</code>', text).group(1)
    assert "/staff/password/set/" in link
    [message] = mail.outbox
    assert message.to == ["sato@example.jp"] and link in message.body
    assert "パスワード" in message.subject and "佐藤 花子" in message.body
    assert "sato@example.jp に送りました" in text
    assert 'data-copy="invite-link"' in text and "renkei/js/copy.js" in text


def test_invitation_without_address_or_mail_server_still_shows_the_link(client_as, staff, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    text = invite(client_as("secretariat"), staff, "sato@example.jp").content.decode()
    assert "メールを送れませんでした" in text and 'id="invite-link"' in text


class DescribedBy(HTMLParser):
    """Every id in a page and every id an aria-describedby points to."""

    def __init__(self):
        super().__init__()
        self.ids, self.wanted = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.wanted += attrs["aria-describedby"].split()


@pytest.mark.parametrize(
    "url",
    [
        "/staff/activities/{pk}/edit/",
        "/staff/activities/{pk}/photos/new/",
        "/staff/activities/{pk}/attendance/",
        "/staff/activities/{pk}/impressions/",
        "/staff/users/",
        "/staff/years/{year}/budget/new/",
    ],
)
def test_every_described_by_points_to_an_element(client_as, year, initiative, url):
    exhibition = initiative
    page = client_as("secretariat").get(url.format(pk=exhibition.pk, year=year.pk))
    parser = DescribedBy()
    parser.feed(page.content.decode())
    assert parser.wanted, "no help texts to check"
    assert [i for i in parser.wanted if i not in parser.ids] == []


def test_no_developer_words_in_help_and_labels(year):
    union = year.union
    texts = []
    for form in (
        ActivityForm(union=union, may_reassign=True, may_publish=True),
        BudgetLineForm(fiscal_year=year),
        ImpressionsForm(),
    ):
        texts += [str(f.label) + str(f.help_text) for f in form.fields.values()]
    joined = "\n".join(texts)
    assert "Markdown" not in joined and "順序" not in joined
    assert "見出し" in joined and "並び順" in joined
