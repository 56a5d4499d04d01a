"""The table of formats: formats are listed in io/registry.py and register nothing themselves."""

from __future__ import annotations

import grimp

from annotator.io import registry


def format_modules() -> set[str]:
    """The modules whose read and write functions the table names."""
    return {
        fn.__module__
        for fmt in registry.formats()
        for fn in (fmt.read, fmt.write)
        if fn is not None
    }


def test_no_format_module_imports_the_table() -> None:
    # The table imports the formats; a format importing it back would be the old cycle, in which
    # a format existed only once some import had run its registration.
    graph = grimp.build_graph("annotator", cache_dir=None)
    modules = format_modules()
    assert {"annotator.io.txt", "annotator.io.native", "annotator.io.doccano"} <= modules
    for module in sorted(modules | {"annotator.io"}):
        chain = graph.find_shortest_chain(importer=module, imported="annotator.io.registry")
        assert chain is None, f"{module} imports the table: {' -> '.join(chain or ())}"


def test_the_table_names_each_format_once_in_its_order() -> None:
    names = [f.name for f in registry.formats()]
    assert len(set(names)) == len(names)
    assert names[0] == "txt"  # the window's import dialog offers the first readable one first
    assert registry.readable() == [n for n in names if registry.get_format(n).read]
    assert registry.writable() == [n for n in names if registry.get_format(n).write]
