"""The one domain error every service raises, with a message a person can act on."""


class RenkeiError(Exception):
    """A business rule refused an operation; ``message`` is Japanese and shown as is."""

    def __init__(self, message, *, details=None):
        super().__init__(str(message))
        self.message = str(message)
        self.details = details or {}


class ConflictError(RenkeiError):
    """Someone else saved the record since it was loaded (optimistic locking).

    ``details`` holds ``current`` (the saved values) and ``by``/``at`` of the last change.
    """


def error_body(code: str, message, details=None) -> dict:
    """The JSON body of every error answered to a program: the API's errors and the
    middleware's (request too large, database busy)."""
    return {"error": {"code": code, "message": str(message), "details": details or {}}}
