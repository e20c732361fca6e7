"""The offline-install test runs only when asked for by marker (`make test-deploy`,
`pytest -m deploy`): a plain `pytest`, or `-m "not browser"`, leaves it out, since it
builds wheels and a virtual environment (about a minute)."""


def pytest_collection_modifyitems(config, items):
    if "deploy" in (config.option.markexpr or ""):
        return
    skipped = [item for item in items if item.get_closest_marker("deploy")]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [item for item in items if not item.get_closest_marker("deploy")]
