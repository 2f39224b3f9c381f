"""``python -m klcourse``: see :mod:`klcourse.cli`."""

import sys

from klcourse.cli import main

sys.exit(main())
