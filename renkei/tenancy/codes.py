"""全国地方公共団体コード (local government codes): check digit and prefecture names.

A code is six digits: the JIS X 0402 five-digit code and a check digit computed with
weights 6,5,4,3,2 as (11 - (sum mod 11)) mod 10 (総務省's rule). Always a string.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県",
    "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",
    "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県",
    "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)  # fmt: skip


def check_digit(first_five: str) -> int:
    """The check digit for the first five digits of a local government code."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_five, (6, 5, 4, 3, 2), strict=True)
    )
    return (11 - total % 11) % 10


def validate_local_government_code(value: str) -> None:
    """Refuse anything but six digits whose last is the right check digit."""
    if len(value) != 6 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("全国地方公共団体コードは6桁の数字です（入力: %(value)s）。"),
            code="format",
            params={"value": value},
        )
    expected = check_digit(value[:5])
    if int(value[5]) != expected:
        raise ValidationError(
            _(
                "全国地方公共団体コード %(value)s の検査数字が違います。"
                "%(first)s の検査数字は %(expected)s です（%(first)s%(expected)s）。"
            ),
            code="check_digit",
            params={"value": value, "first": value[:5], "expected": expected},
        )
    if not 1 <= int(value[:2]) <= len(PREFECTURES):
        raise ValidationError(
            _("全国地方公共団体コード %(value)s の都道府県番号 %(pref)s は存在しません。"),
            code="prefecture",
            params={"value": value, "pref": value[:2]},
        )


def prefecture_name(code: str) -> str:
    """The prefecture a local government code belongs to (its first two digits)."""
    return PREFECTURES[int(code[:2]) - 1]
