import sys

from tiers.models.cli import main

sys.exit(main())
