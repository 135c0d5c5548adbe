"""``python -m grader``: the ``dlgrade`` command line."""

from grader.cli.app import main

main()
