"""Settings for the portal benchmark only (``scripts/bench_portal.py``): Renkei's settings
with a URLconf that adds the framework floor, ``/bench/floor/``. Never used in production.

The environment supplies DEBUG=false, SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, DATABASE_URL
and DB_CONN_MAX_AGE; gunicorn runs with ``--pythonpath scripts``."""

from renkei.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
