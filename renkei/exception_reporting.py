"""What an error report (the DEBUG page, the e-mail to ADMINS) may show: Django's
``SafeExceptionReporterFilter`` hides settings and META keys that look secret (KEY,
SECRET, PASS …); this one also hides the connection URLs Renkei reads from the
environment (``DATABASE_URL``, ``CACHE_URL``, ``EMAIL_URL``), which a WSGI server copies
into ``request.META``, and the password of any ``scheme://user:password@host`` URL in
any setting, META value or local variable."""

import re
from collections.abc import Mapping

from django.views.debug import SafeExceptionReporterFilter

URL_PASSWORD = re.compile(
    r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:/@\s]*):(?P<password>[^@/\s]*)@", re.IGNORECASE
)


def mask_url_passwords(text: str, substitute: str) -> str:
    """``postgres://renkei:s3cret@db/renkei`` → ``postgres://renkei:*****@db/renkei``."""
    return URL_PASSWORD.sub(lambda m: f"{m['head']}:{substitute}@", text)


class SecretHidingFilter(SafeExceptionReporterFilter):
    """Settings, META and frame variables without secrets (DEFAULT_EXCEPTION_REPORTER_FILTER)."""

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|CACHE_URL|EMAIL_URL|DSN",
        flags=re.IGNORECASE,
    )

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        if isinstance(cleansed, str):
            return mask_url_passwords(cleansed, self.cleansed_substitute)
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        """Local variables as Django shows them, less URL passwords and secret-looking
        keys of mappings (``os.environ`` held in a variable, say)."""
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self._cleanse_value(value)) for name, value in variables]

    def _cleanse_value(self, value):
        if isinstance(value, str):
            return mask_url_passwords(value, self.cleansed_substitute)
        if isinstance(value, Mapping) and not isinstance(value, dict):
            value = dict(value)  # os.environ and other mappings: shown as a plain dict
        if isinstance(value, dict | list | tuple):
            return self.cleanse_setting("", value)
        return value
