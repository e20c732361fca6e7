"""Helpers shared by test modules of more than one directory. A test module never imports
another test module (tests/core/test_layering.py checks it): what two of them share lives
here, in a directory's own helper module (tests/staff/helpers.py, tests/reports/extract.py)
or in a conftest fixture."""
