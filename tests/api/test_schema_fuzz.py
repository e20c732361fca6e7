"""schemathesis against the served OpenAPI schema: no server error, no response that
breaks the schema, for anonymous callers and for secretariat staff with a token.

Bounded: a few examples per operation (derandomised), so the run takes seconds."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token

from renkei.wsgi import application

# A schema-valid page past the last one is a 400 by design (the API promises 400 for
# out-of-range pages), so "valid data must be accepted" does not hold for ``page``.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]
FUZZ = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def operations():
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    return [result.ok() for result in schema.get_all_operations()]


def fuzz(operation, headers=None):
    @FUZZ
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)

    run()


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Calling the WSGI app in-process would close the test's database connection at the
    end of each request (PostgreSQL); Django's own test client disconnects this too."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def busy_year(create_busy_year):
    """Records of every kind the API shows, factory-made (``create_busy_year``)."""
    return create_busy_year()


@pytest.fixture
def staff_token(make_user, busy_year):
    return Token.objects.create(user=make_user("secretariat", union=busy_year.union)).key


def test_every_operation_is_fuzzed(db):
    labels = {op.label for op in operations()}
    assert "GET /api/activities/" in labels and "PUT /api/activities/{id}/attendance/" in labels


@pytest.mark.slow
def test_api_anonymous(busy_year):
    for operation in operations():
        fuzz(operation)


@pytest.mark.slow
def test_api_staff(staff_token):
    for operation in operations():
        fuzz(operation, {"Authorization": f"Token {staff_token}"})
