"""What the recommenders tell a person: options they name exist, advice is worded alike."""

from __future__ import annotations

import re
from pathlib import Path

import annotator.suggest
from annotator.cli_suggest import suggest

SUGGEST = Path(annotator.suggest.__file__).parent


def test_every_option_the_recommenders_name_is_an_option_of_the_suggest_command() -> None:
    options = {name for param in suggest.params for name in param.opts}
    named = {
        (path.name, option)
        for path in sorted(SUGGEST.glob("*.py"))
        for option in re.findall(r"--[a-z][a-z-]*", path.read_text(encoding="utf-8"))
    }
    assert {option for _, option in named} <= options, sorted(named)
    assert ("crf.py", "--from") in named  # the crf says where else to learn from
