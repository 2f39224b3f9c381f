"""``python -m klcourse``: see :mod:`klcourse.course.cli`."""

import sys

from klcourse.course.cli import main

sys.exit(main())
