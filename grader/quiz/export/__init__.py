"""Exports for learning-management systems.

GIFT and Moodle XML (Moodle), QTI 1.2 in a zip (Canvas). A randomized question
becomes N pre-drawn variants, grouped so the LMS picks one per student: a Moodle
category per question, a Canvas question group (a QTI section selecting 1).
"""
