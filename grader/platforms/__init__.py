"""Runners for course platforms: Gradescope, Classroom 50, PrairieLearn."""
