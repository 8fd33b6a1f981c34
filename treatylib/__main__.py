"""``python -m treatylib``: the same as the ``treatylib`` command."""

from .cli import main

raise SystemExit(main())
