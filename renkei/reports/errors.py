"""The reports app's error: below its models and services, which both raise it."""

from renkei.errors import RenkeiError


class ReportError(RenkeiError):
    """A report cannot be made or issued; the message says why, in Japanese. One of the
    project's ``RenkeiError`` family, so every entry point handles it as any other refused
    operation."""
