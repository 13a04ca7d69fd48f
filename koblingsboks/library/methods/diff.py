"""A readable diff between two versions of a method: per field, lines kept, removed and
added, as people know it from "track changes"."""

import difflib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

FIELDS = [
    ("title", _("Title")),
    ("summary", _("Summary")),
    ("body", _("Description")),
    ("tags", _("Tags")),
    ("competence_areas", _("Competence areas")),
    ("licence", _("Licence note")),
]


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same", "removed" or "added"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    field: str
    label: str
    lines: list[DiffLine]


def version_diff(old, new) -> list[FieldDiff]:
    """The fields that differ between ``old`` and ``new`` (MethodVersion), line by line.
    ``old`` None means the first version: everything is added."""
    result = []
    for name, label in FIELDS:
        before = (getattr(old, name) if old is not None else "").splitlines()
        after = (getattr(new, name) or "").splitlines()
        if before == after:
            continue
        lines = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after).get_opcodes():
            if op == "equal":
                lines += [DiffLine("same", line) for line in before[i1:i2]]
                continue
            lines += [DiffLine("removed", line) for line in before[i1:i2]]
            lines += [DiffLine("added", line) for line in after[j1:j2]]
        result.append(FieldDiff(name, str(label), lines))
    return result
