"""全国地方公共団体コード: check digits, refused codes and their messages."""

import pytest
from django.core.exceptions import ValidationError

from renkei.tenancy.codes import check_digit, prefecture_name, validate_local_government_code
from renkei.tenancy.models import Organisation

KNOWN = [
    "060003",
    "062022",
    "062090",
    "062138",
    "063819",
    "063827",
    "064017",
    "064025",
    "064033",
    "130001",
    "131032",
    "142182",
    "152137",
    "282219",
    "232386",
    "293610",
    "434248",
    "105236",
]


@pytest.mark.parametrize("code", KNOWN)
def test_known_codes_pass(code):
    validate_local_government_code(code)
    assert check_digit(code[:5]) == int(code[5])


def test_wrong_check_digit_names_the_expected_digit():
    with pytest.raises(ValidationError) as error:
        validate_local_government_code("062023")
    message = error.value.messages[0]
    assert "検査数字が違います" in message
    assert "06202 の検査数字は 2 です" in message


@pytest.mark.parametrize("code", ["62022", "0620222", "06202a", "０６２０２２", "", "990003"])
def test_malformed_codes_refused(code):
    with pytest.raises(ValidationError):
        validate_local_government_code(code)


def test_prefecture_from_code():
    assert prefecture_name("142182") == "神奈川県"
    assert prefecture_name("062022") == "山形県"


@pytest.mark.django_db
def test_model_validation_refuses_wrong_code():
    org = Organisation(name="米沢市", kind="city", code="062021")
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert "06202 の検査数字は 2 です" in error.value.message_dict["code"][0]
