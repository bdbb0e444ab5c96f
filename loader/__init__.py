"""Lands raw CSV extracts in an immutable lake and loads them into the warehouse's `raw` schema.

`loader.api` is what other packages call; `python -m loader` is the command line.
"""
