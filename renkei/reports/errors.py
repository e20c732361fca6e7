"""The reports app's error: below its models and services, which both raise it."""


class ReportError(Exception):
    """A report cannot be made or issued; the message says why, in Japanese."""
