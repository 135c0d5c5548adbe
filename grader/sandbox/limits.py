"""Limits and codes shared by the grader and the sandbox child (both sides import this).

A plain module with no imports: the zygote loads it by file name, outside the package.
"""

MEMORY_LIMIT = 2 * 1024**3  # address space of a child, bytes
FILE_LIMIT = 16 * 1024**2  # largest file a child may write, bytes
STDOUT_LIMIT = 8 * 1024  # printed output kept per case, bytes
RESULT_LIMIT = 64 * 1024 * 1024  # result frame of one case, bytes
MAX_ELEMENTS = 8_000_000  # elements of one returned array (64 MB of float64)
MAX_FRAME = 256 * 1024 * 1024  # one wire frame, bytes
MAX_BLOBS = 100_000  # arrays in one wire frame
SETUP_FAILED = 71  # exit code: the child could not drop privileges or set limits
EXIT_GRACE = 2.0  # seconds a child has to exit after answering its last case
MAX_BATCH = 32  # cases one child runs (an output pipe each; the rest go to a fresh child)
