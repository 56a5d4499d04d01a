"""Recommenders: modules that propose spans and links from what the project already holds."""
