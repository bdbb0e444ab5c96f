"""`python -m seeds_generator --help`."""

import sys

from seeds_generator.cli import main

sys.exit(main())
