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
