"""File formats: one module per format, registered by name. No Qt."""

from annotator.io.registry import Format, formats, get_format, readable, writable

__all__ = ["Format", "formats", "get_format", "readable", "writable"]
