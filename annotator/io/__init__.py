"""File formats: one module per format, listed with what each carries in ``registry``. No Qt.

Nothing is imported here, so reading one format module does not load every other one.
"""
