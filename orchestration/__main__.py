"""`python -m orchestration`: see `orchestration.cli`."""

from orchestration.cli import main

main()
