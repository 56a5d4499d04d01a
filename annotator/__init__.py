"""Arabic news annotator: entities, quotes and claims over right-to-left news text."""

from annotator.errors import AnnotatorError

__all__ = ["AnnotatorError", "__version__"]
__version__ = "0.1.0"
