"""Venues survive an activity's edit: the form offers each venue's name, municipality and
address, saving an untouched form keeps them all, and a changed municipality is saved and
logged. The form is submitted as a browser would send the rendered page."""

from datetime import date

import pytest
from lxml import html

from renkei.audit.models import AuditEntry
from renkei.programmes.models import ScheduleDay, Venue
from renkei.tenancy.models import Organisation
from renkei.tenancy.services import member_organisation

from .conftest import MINATO, NANYO, YONEZAWA

AYASE = "142182"  # a seminar's venue outside the union and its partners
NAGAI = "062090"


def venues_of(act) -> list[tuple]:
    return list(
        Venue.objects.filter(day__activity=act)
        .order_by("day__date", "order")
        .values_list("day__date", "name", "municipality__code", "address")
    )


def rendered_form(client, act) -> dict:
    """The edit form's fields with the values the page shows, as a browser submits them."""
    response = client.get(f"/staff/activities/{act.pk}/edit/")
    assert response.status_code == 200
    [form] = html.fromstring(response.content.decode()).xpath(
        "//form[contains(@class, 'edit-form')]"
    )
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


def save(client, act, data):
    return client.post(f"/staff/activities/{act.pk}/edit/", data)


def held_at(activity, on, *venues):
    """A schedule day of ``activity`` at ``venues``: (name, municipality code[, address])."""
    day = ScheduleDay.objects.create(activity=activity, date=on)
    for order, (name, code, *address) in enumerate(venues, start=1):
        Venue.objects.create(
            day=day,
            name=name,
            municipality=Organisation.objects.get(code=code),
            address="".join(address),
            order=order,
        )


@pytest.fixture
def training(year, create_activity):
    """A two-day 交流研修: one venue in 米沢市 on the first day, four in 長井市 and 南陽市
    on the second."""
    act = create_activity(year, title="交流研修", kind="exchange_training")
    held_at(act, date(2024, 8, 1), ("米沢産業会館", YONEZAWA))
    held_at(
        act,
        date(2024, 8, 2),
        ("長井市役所", NAGAI, "長井市ままの上5番1号"),
        ("道の駅 川のみなと長井", NAGAI),
        ("南陽市文化会館", NANYO),
        ("赤湯温泉", NANYO),
    )
    return act


@pytest.fixture
def festival(year, create_activity):
    """An event held in a partner's ward: 港区立芝公園."""
    act = create_activity(year, title="「ふれ愛まつり」への出展", kind="festival_booth")
    held_at(act, date(2024, 10, 5), ("港区立芝公園", MINATO))
    return act


@pytest.fixture
def seminar(year, create_activity):
    """A seminar whose venue is only a municipality, outside the union: 綾瀬市."""
    act = create_activity(year, title="ZEB導入セミナー", kind="external_seminar")
    held_at(act, date(2024, 6, 7), ("", member_organisation(AYASE, "綾瀬市").code))
    return act


@pytest.mark.parametrize("find", ["training", "festival", "seminar"])
def test_saving_untouched_form_keeps_every_venue(client_as, request, find):
    act = request.getfixturevalue(find)
    before = venues_of(act)
    assert before and all(code for _date, _name, code, _address in before)
    client = client_as("secretariat")
    response = save(client, act, rendered_form(client, act))
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert venues_of(act) == before
    entry = AuditEntry.objects.filter(model="programmes.activity", object_id=str(act.pk)).first()
    assert entry is None or "days" not in entry.changes


def test_changed_municipality_is_saved_and_logged(client_as, training):
    nanyo = Organisation.objects.get(code=NANYO)
    client = client_as("secretariat")
    data = rendered_form(client, training)
    assert data["days-0-venue_name_1"] == ["米沢産業会館"]
    data["days-0-venue_municipality_1"] = [str(nanyo.pk)]
    data["days-0-venue_address_1"] = ["米沢市金池三丁目1番55号"]
    assert save(client, training, data).status_code == 302
    venue = Venue.objects.get(day__activity=training, name="米沢産業会館")
    assert venue.municipality == nanyo and venue.address == "米沢市金池三丁目1番55号"
    entry = AuditEntry.objects.get(model="programmes.activity", object_id=str(training.pk))
    old_days, new_days = entry.changes["days"]
    assert "米沢産業会館（米沢市）" in old_days[0]
    assert "米沢産業会館（南陽市 米沢市金池三丁目1番55号）" in new_days[0]
    page = client.get(f"/staff/activities/{training.pk}/").content.decode()
    assert "米沢産業会館（南陽市" in page  # the history on the record shows it


@pytest.mark.parametrize(
    "organisation",
    [
        lambda: Organisation.objects.get(code="293610"),  # another union's town
        lambda: Organisation.objects.get(
            name__contains="地域活性化センター"
        ),  # a partner, not a place
        lambda: Organisation.objects.get(code="130001"),  # 東京都, not offered for this activity
    ],
    ids=["other-union", "foundation", "prefecture"],
)
def test_municipality_outside_the_choices_is_refused(
    client_as, training, seminar, other_union, organisation
):
    member_organisation("130001", "東京都")
    before = venues_of(training)
    client = client_as("secretariat")
    data = rendered_form(client, training)
    data["days-0-venue_municipality_1"] = [str(organisation().pk)]
    response = save(client, training, data)
    assert response.status_code == 400
    assert "一覧にない自治体です" in response.content.decode()
    assert venues_of(training) == before
    training.refresh_from_db()
    assert training.version == 1


def test_venue_may_be_only_a_municipality_but_not_only_an_address(client_as, training):
    nanyo = Organisation.objects.get(code=NANYO)
    client = client_as("secretariat")
    data = rendered_form(client, training)
    data["days-0-venue_address_2"] = ["山形県南陽市三間通436-1"]
    response = save(client, training, data)
    assert response.status_code == 400
    assert "会場名か所在自治体のどちらかを入力してください" in response.content.decode()
    data["days-0-venue_municipality_2"] = [str(nanyo.pk)]
    assert save(client, training, data).status_code == 302
    first_day = venues_of(training)[:2]
    assert [row[1:] for row in first_day] == [
        ("米沢産業会館", "062022", ""),
        ("", NANYO, "山形県南陽市三間通436-1"),
    ]


def test_form_offers_members_in_order_then_partner_wards(client_as, training):
    client = client_as("secretariat")
    response = client.get(f"/staff/activities/{training.pk}/edit/")
    field = response.context["days"].forms[1]["venue_municipality_1"].field
    groups = [(label, [name for _pk, name in options]) for label, options in field.choices[1:]]
    assert groups == [
        (
            "構成市町",
            ["米沢市", "長井市", "南陽市", "高畠町", "川西町", "白鷹町", "小国町", "飯豊町"],
        ),
        ("連携自治体", ["港区"]),
    ]
    # the busiest day has 4 venues: 5 slots, each with a label
    assert response.context["days"].forms[1].venue_numbers == range(1, 6)
    text = response.content.decode()
    assert '<label class="visually-hidden" for="id_days-1-venue_municipality_5">' in text
