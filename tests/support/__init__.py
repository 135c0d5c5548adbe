"""Helpers shared by the test modules: real sandboxes, classes, browsers, releases, the course notes."""
