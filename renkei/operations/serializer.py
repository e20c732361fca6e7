"""Django's JSON fixtures without their loss: times keep their microseconds.

``DjangoJSONEncoder`` cuts datetimes and times to milliseconds (ECMA-262 style), so a
record restored from an ordinary ``dumpdata`` differs from the one saved. Registered as
the serialisation format ``renkei-json`` (settings.SERIALIZATION_MODULES).
"""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder

Deserializer = django_json.Deserializer


class LosslessEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        # Django's hook for a serializer's options, private and not in django-stubs.
        super()._init_options()  # type: ignore[misc]
        self.json_kwargs["cls"] = LosslessEncoder
