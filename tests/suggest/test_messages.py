"""What the recommenders tell a person: options they name exist, advice is worded alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import annotator.suggest
from annotator.cli_suggest import suggest
from annotator.errors import ValidationError
from annotator.store import Project
from annotator.suggest.crf import CrfRecommender
from annotator.suggest.strings import StringsRecommender

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


@pytest.mark.parametrize(
    ("recommender", "what"), [(StringsRecommender, "names"), (CrfRecommender, "entities")]
)
@pytest.mark.parametrize(
    ("source", "elsewhere"), [("tester", "another layer or gold"), ("gold", "another layer")]
)
def test_strings_and_crf_say_alike_which_layer_has_nothing_to_learn_and_what_to_do(
    project: Project, recommender: type, what: str, source: str, elsewhere: str
) -> None:
    project.add_document("نص عن موسكو.", doc_id="d0")
    with pytest.raises(ValidationError) as refused:
        recommender().prepare(project, source)
    message = refused.value.message
    assert message.startswith("nothing to learn: ")
    said, todo = message.split("; ")
    assert f"'{source}'" in said and "in the project" in said
    assert todo == (
        f"annotate a few {what} in the layer '{source}' first, or learn from {elsewhere} (--from)"
    )


def test_learning_from_chosen_documents_says_so(project: Project) -> None:
    project.add_document("نص عن موسكو.", doc_id="d0")
    for recommender in (StringsRecommender(train_ids=["d0"]), CrfRecommender(train_ids=["d0"])):
        with pytest.raises(
            ValidationError, match=r"'tester'.* in the chosen documents; annotate a few"
        ):
            recommender.prepare(project, "tester")
