"""A union's members in the order of its 規約, one method every list reads; a municipality
that belongs to two unions is listed once in each, in each union's order."""

import pytest

from renkei.tenancy.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def test_members_in_order_of_a_union_sharing_a_member(create_member_union, other_union):
    okitama = create_member_union()
    yonezawa = Organisation.objects.get(code="062022")
    Membership.objects.create(union=other_union, organisation=yonezawa, order=0)
    assert [o.name for o in okitama.members_in_order()][:2] == ["米沢市", "長井市"]
    assert len(okitama.members_in_order()) == 8
    assert [o.name for o in other_union.members_in_order()][0] == "米沢市"
    assert len(other_union.members_in_order()) == 2
