#!/usr/bin/env python
"""Django's manage.py, kept for habit; ``renkei`` does the same."""

from renkei.cli import main

if __name__ == "__main__":
    main()
