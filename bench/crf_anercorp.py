"""The crf recommender on ANERcorp: entity F1 on the last 20% of its documents, training time.

Usage::

    python bench/crf_anercorp.py PATH_TO_ANERCORP          # ANERcorp.txt, or CAMeL Lab's split
    python bench/crf_anercorp.py --make-synthetic OUT.txt [--tokens 150000] [--seed 1]
    python bench/crf_anercorp.py OUT.txt                   # the same measurement on it

The file is imported as ``annotator import P FILE --format conll --annotator gold
--label-map PERS=PER --new-labels add`` does (MISC becomes a label of the project), into a
temporary project: a document is 200 sentences, as the CoNLL reader cuts a file without
``-DOCSTART-`` lines, and each keeps the file's tokens (``وواشنطن B-LOC`` stays one token). The
crf is trained on the first 80% of the documents and scored on the rest
(:func:`annotator.suggest.evaluate.evaluate` with ``holdout=0.2``); the script prints the
scores table, the tokens trained on and scored, the training time, and the time per 10,000
training tokens, with the cores the process could use.

``--make-synthetic`` writes a corpus in ANERcorp's layout for checking that the script runs:
``token TAG`` lines, a blank line after each sentence, no ``-DOCSTART-``, PERS / LOC / ORG /
MISC tags on whole tokens with their proclitics. Its sentences come from a few dozen patterns
and name lists, so its scores say nothing about ANERcorp's; its timing is that of a corpus of
its size.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from annotator.io.operations import import_paths  # noqa: E402
from annotator.store import Project  # noqa: E402
from annotator.suggest.crf import CrfRecommender  # noqa: E402
from annotator.suggest.evaluate import evaluate  # noqa: E402


def words(text: str) -> list[str]:
    """Return the words of ``text`` (lists of Arabic words read better written as a line)."""
    return text.split()


FIRST = words("محمد أحمد علي حسن خالد سعيد عمر يوسف إبراهيم مصطفى سامي فؤاد نبيل هشام طارق رامي")
LAST = words(
    "الحسيني العطار الخطيب المصري السوداني النجار الحلبي الشامي العلي الدوري القاسم البدري"
    " الزين الخوري حداد منصور"
)
FOREIGN = words("بوش بلير شيراك شارون عرفات مبارك بوتين كلينتون رايس باول")
PLACES = words(
    "بغداد دمشق القاهرة بيروت عمان الرياض واشنطن لندن باريس موسكو طهران غزة القدس"
    " العراق سوريا مصر لبنان الأردن فلسطين إسرائيل فرنسا روسيا"
)
ORGS = [
    "الأمم المتحدة",
    "مجلس الأمن",
    "الجامعة العربية",
    "حلف الأطلسي",
    "الاتحاد الأوروبي",
    "وكالة الأنباء الفرنسية",
    "حركة حماس",
    "البنك الدولي",
    "منظمة التجارة العالمية",
]
MISC = ["كأس العالم", "الألعاب الأولمبية", "الحرب العالمية الثانية", "عيد الفطر", "الإسلام"]
FILLER = words(
    "أن في على من إلى عن مع بعد قبل خلال اليوم أمس الأسبوع المقبل الماضي الذي التي"
    " الحكومة الرئيس الوزير المسؤول المتحدث الوفد المفاوضات الاجتماع الأزمة الوضع الأمن"
    " الاقتصاد الانتخابات القرار الاتفاق المحادثات العلاقات الدعم الجديد الكبير"
    " قال أعلن أكد أضاف أشار ذكر صرح نفى طالب دعا التقى زار وصل غادر بحث ناقش"
)
PATTERNS = [
    "قال {PER} إن {LOC} لن تقبل {F} {F} .",
    "أعلن {ORG} {F} أن {PER} سيزور {LOC} و{LOC} {F} .",
    "التقى {PER} و{PER} في {LOC} {F} {F} .",
    "و{F} {PER} {F} {ORG} في {LOC} .",
    "ذكرت {ORG} أن {F} {F} في {LOC} {F} {F} .",
    "وصل {PER} إلى {LOC} قادما من {LOC} .",
    "{F} {F} {F} {MISC} {F} {F} .",
    "و{F} {F} {F} ب{LOC} {F} .",
    "{F} {F} {F} {F} {F} {F} {F} .",
    "دعا {PER} {ORG} إلى {F} {F} ل{LOC} .",
]
TAGS = {"PER": "PERS", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}


LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


class Vocabulary:
    """Words of a synthetic corpus: the lists above, and made-up words and names drawn with
    Zipf-like frequencies, so the corpus has about as many distinct words as a news corpus of
    its size (features, and so training time, grow with them)."""

    def __init__(self, rng: random.Random, words: int = 20_000, names: int = 3_000) -> None:
        self.rng = rng
        self.words = FILLER + [
            self._made_up(rng.choice(("", "ال", "ال", "و"))) for _ in range(words)
        ]
        self.names = FOREIGN + [self._made_up("") for _ in range(names)]
        self.places = PLACES + [self._made_up("") for _ in range(names // 4)]

    def _made_up(self, prefix: str) -> str:
        return prefix + "".join(self.rng.choice(LETTERS) for _ in range(self.rng.randint(3, 7)))

    def pick(self, words: list[str]) -> str:
        # Rank r drawn with probability about 1/r: a few words everywhere, most rarely.
        return words[min(int(len(words) ** self.rng.random()) - 1, len(words) - 1)]

    def entity(self, kind: str) -> list[str]:
        """Return the words of an entity of ``kind``."""
        rng = self.rng
        if kind == "PER":
            if rng.random() < 0.4:
                return [self.pick(self.names)]
            return [rng.choice(FIRST), self.pick(self.names if rng.random() < 0.5 else LAST)]
        if kind == "LOC":
            return [self.pick(self.places)]
        return rng.choice(ORGS if kind == "ORG" else MISC).split()


def synthetic_sentence(vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """Return one sentence as (token, tag) pairs, tags on whole tokens as ANERcorp has them:
    two to four patterns joined, about ANERcorp's 30 tokens a sentence."""
    rng = vocabulary.rng
    pieces: list[str] = []
    for _ in range(rng.randint(2, 4)):
        pieces += rng.choice(PATTERNS).split()[:-1]  # each pattern without its full stop
    out: list[tuple[str, str]] = []
    for piece in [*pieces, "."]:
        prefix, _, rest = piece.partition("{")
        if not rest:
            out.append((piece, "O"))
            continue
        kind = rest.rstrip("}")
        if kind == "F":
            out.append((prefix + vocabulary.pick(vocabulary.words), "O"))
            continue
        words = vocabulary.entity(kind)
        tag = TAGS[kind]
        out.append((prefix + words[0], f"B-{tag}"))  # the proclitic inside the token's tag
        out += [(w, f"I-{tag}") for w in words[1:]]
    return out


def make_synthetic(path: Path, tokens: int, seed: int) -> int:
    """Write a corpus of about ``tokens`` tokens in ANERcorp's layout; return its tokens."""
    vocabulary = Vocabulary(random.Random(seed))
    written = 0
    with path.open("w", encoding="utf-8") as out:
        while written < tokens:
            sentence = synthetic_sentence(vocabulary)
            out.write("".join(f"{tok} {tag}\n" for tok, tag in sentence) + "\n")
            written += len(sentence)
    return written


def measure(path: Path) -> None:
    """Import ``path``, evaluate the crf with a 20% holdout, print the scores and times."""
    made: list[CrfRecommender] = []

    def make(ids: Sequence[str] | None) -> CrfRecommender:
        made.append(CrfRecommender(train_ids=ids))
        return made[-1]

    with (
        tempfile.TemporaryDirectory() as folder,
        Project.create(Path(folder) / "anercorp.sqlite", annotator="bench") as project,
    ):
        started = time.perf_counter()
        import_paths(
            project,
            [path],
            fmt="conll",
            annotator="gold",
            label_map={"PERS": "PER"},
            new_labels="add",
        )
        imported = time.perf_counter() - started
        documents = project.document_count()
        scores = evaluate(project, make, source="gold", holdout=0.2)
    info = made[-1].info
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    for line in scores.lines():
        print(line)
    print()
    print(f"imported {documents} document(s) in {imported:.1f} s")
    print(
        f"trained on {info['documents']} document(s), {info['sentences']} sentences,"
        f" {info['tokens']} tokens ({info['iterations']} L-BFGS iterations)"
    )
    # crfsuite trains on one thread: more cores do not make it faster.
    print(f"training: {info['train_seconds']:.1f} s, {cores} core(s) available")
    print(f"per 10,000 training tokens: {info['train_seconds'] / info['tokens'] * 10_000:.2f} s")


def main() -> None:
    """Parse the command line and run the measurement or write a synthetic corpus."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", type=Path, help="ANERcorp (token TAG lines)")
    parser.add_argument("--make-synthetic", type=Path, metavar="OUT")
    parser.add_argument("--tokens", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.make_synthetic is not None:
        n = make_synthetic(args.make_synthetic, args.tokens, args.seed)
        print(f"wrote {n} tokens to {args.make_synthetic}")
    elif args.path is not None:
        measure(args.path)
    else:
        parser.error("give the corpus to measure, or --make-synthetic OUT")


if __name__ == "__main__":
    main()
