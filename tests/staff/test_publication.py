"""Publication is the secretariat's decision: members propose it (activity and photo), the
secretariat sees the proposal and publishes; impressions (感想) come only from
organisations that took part, and the portal shows only theirs."""

import pytest
from django.core.exceptions import PermissionDenied

from renkei.audit.models import AuditEntry
from renkei.audit.services import fingerprint
from renkei.errors import RenkeiError
from renkei.programmes.models import ActivitySection, SectionKind
from renkei.programmes.services import (
    save_impressions,
    set_leads,
    update_activity,
    update_photo,
)
from renkei.tenancy.models import Organisation
from renkei.tenancy.permissions import Action, can

from .conftest import NANYO, YONEZAWA
from .helpers import edit_form, make_photo


@pytest.fixture
def own(initiative):
    """米沢市's own initiative, not public."""
    return initiative


@pytest.fixture
def other(initiative, create_activity):
    """南陽市's initiative beside it, not public."""
    workation = create_activity(group=initiative.group, title="港区連携自治体ワーケーション")
    set_leads(workation, [Organisation.objects.get(code=NANYO)])
    return workation


@pytest.mark.parametrize(
    ("role", "may"),
    [("secretariat", True), ("member", False), ("partner", False), ("auditor", False)],
)
def test_only_the_secretariat_may_publish(staff, own, role, may):
    assert can(staff[role], Action.PUBLISH, own) is may


def test_member_form_offers_a_proposal_not_publication(client_as, own):
    client = client_as("member")
    page = client.get(f"/staff/activities/{own.pk}/edit/").content.decode()
    assert 'name="publication_proposed"' in page and 'name="is_public"' not in page
    response = client.post(
        f"/staff/activities/{own.pk}/edit/",
        edit_form(own, is_public="on", publication_proposed="on"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    own.refresh_from_db()
    assert own.publication_proposed and not own.is_public
    entry = AuditEntry.objects.filter(model="programmes.activity", object_id=str(own.pk)).first()
    assert entry.changes["publication_proposed"] == [False, True]


def test_service_refuses_a_member_publishing(staff, own):
    with pytest.raises(PermissionDenied):
        update_activity(
            own, staff["member"], expected_version=own.version, fields={"is_public": True}
        )
    own.refresh_from_db()
    assert not own.is_public and own.version == 1


def test_proposals_reach_the_secretariat_who_publishes(client_as, staff, own, other):
    photo = make_photo(other, Organisation.objects.get(code=NANYO), "南陽市の写真")
    update_activity(
        own, staff["member"], expected_version=own.version, fields={"publication_proposed": True}
    )
    update_photo(
        photo,
        staff["other_member"],
        caption=photo.caption,
        alt_text=photo.alt_text,
        publication_proposed=True,
        expected=fingerprint(photo),
    )
    photo.refresh_from_db()
    with pytest.raises(PermissionDenied):
        update_photo(
            photo,
            staff["other_member"],
            caption=photo.caption,
            alt_text=photo.alt_text,
            is_public=True,
            expected=fingerprint(photo),
        )

    home = client_as("secretariat").get("/staff/").content.decode()
    proposals = home.split('id="h-proposals"')[1].split("</section>")[0]
    assert f"/staff/activities/{own.pk}/" in proposals
    assert f"/staff/activities/{other.pk}/" in proposals
    member_home = client_as("member").get("/staff/").content.decode()
    assert 'id="h-proposals"' not in member_home

    own.refresh_from_db()
    update_activity(
        own, staff["secretariat"], expected_version=own.version, fields={"is_public": True}
    )
    photo.refresh_from_db()
    update_photo(
        photo,
        staff["secretariat"],
        caption=photo.caption,
        alt_text=photo.alt_text,
        is_public=True,
        expected=fingerprint(photo),
    )
    own.refresh_from_db()
    photo.refresh_from_db()
    assert own.is_public and not own.publication_proposed
    assert photo.is_public and not photo.publication_proposed
    home = client_as("secretariat").get("/staff/").content.decode()
    assert "公開の提案はありません。" in home


def test_photo_form_of_a_member_proposes(client_as, own):
    photo = make_photo(own, Organisation.objects.get(code=YONEZAWA))
    response = client_as("member").post(
        f"/staff/photos/{photo.pk}/edit/",
        {
            "caption": photo.caption,
            "alt_text": photo.alt_text,
            "is_public": "on",
            "publication_proposed": "on",
            "reason": "",
            "expected": fingerprint(photo),
        },
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.publication_proposed and not photo.is_public


def test_impressions_only_from_organisations_that_took_part(client_as, staff, own):
    # led by 米沢市; 南陽市 took no part
    nanyo = Organisation.objects.get(code=NANYO)
    assert nanyo.pk not in own.participant_ids()
    response = client_as("other_member").post(
        f"/staff/activities/{own.pk}/impressions/",
        {"text": "参加していませんが良い展示でした。", "reason": "", "expected": "new"},
    )
    assert response.status_code == 400
    assert "参加した団体だけが記入できます" in response.content.decode()
    with pytest.raises(RenkeiError):  # nor may the secretariat write them for 南陽市
        save_impressions(own, staff["secretariat"], organisation=nanyo, text="代筆", expected="new")
    assert not ActivitySection.objects.filter(activity=own, organisation=nanyo).exists()

    save_impressions(
        own,
        staff["member"],
        organisation=Organisation.objects.get(code=YONEZAWA),
        text="多くの方に紅花を知っていただけました。",
        expected="new",
    )
    assert ActivitySection.objects.filter(activity=own, kind=SectionKind.IMPRESSIONS).count() == 1


def test_portal_and_api_show_only_participants_impressions(client, training):
    # public; 南陽市 took part and wrote its impressions
    ActivitySection.objects.create(
        activity=training,
        kind=SectionKind.IMPRESSIONS,
        organisation=Organisation.objects.get(code=NANYO),
        heading="南陽市の感想",
        lead="南陽市の感想文",
        order=100,
    )
    outsider = Organisation.objects.create(name="参加していない村", kind="village", code="999999")
    assert outsider.pk not in training.participant_ids()
    ActivitySection.objects.create(  # written before the rule (e.g. through the admin)
        activity=training,
        kind=SectionKind.IMPRESSIONS,
        organisation=outsider,
        heading="参加していない村の感想",
        lead="参加していない村の感想文",
        order=200,
    )
    page = client.get(f"/activities/{training.pk}/").content.decode()
    assert "参加していない村の感想文" not in page
    assert "南陽市の感想" in page
    api = client.get(f"/api/activities/{training.pk}/").json()
    assert "参加していない村の感想文" not in str(api["sections"])
    assert "南陽市の感想文" in str(api["sections"])
