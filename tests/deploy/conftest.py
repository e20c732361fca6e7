"""The deploy tests run only when asked for by marker (`make test-deploy`, `pytest -m
deploy`): a plain `pytest`, or `-m "not browser"`, leaves them out, since they build wheels
and a virtual environment, or start PostgreSQL, Redis and three Renkei processes (about a
minute each)."""


def pytest_collection_modifyitems(config, items):
    if "deploy" in (config.option.markexpr or ""):
        return
    skipped = [item for item in items if item.get_closest_marker("deploy")]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [item for item in items if not item.get_closest_marker("deploy")]
