"""The ``dlgrade`` command line.

Each command parses its options, calls one library function, renders the result
and exits with a documented code.

May import every room; nothing imports it (except ``grader.__main__``).
"""
