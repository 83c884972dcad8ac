"""The pipeline steps, one module each, in the order posts pass through them (``pipeline_steps``):

    LimitRejects -> NormalizeText -> ExtractEntities -> Pseudonymise -> AssignPostIds -> InferDates
    -> ResolveReplies

(Entities come before pseudonyms, which cover mentions and links; pseudonyms before ids, which are
made from the chat's id, a person's for a personal chat.)

Each step is a ``base.Step``: records in, records out, with its own counts.
"""

from __future__ import annotations

from .base import Step
from .dating import InferDates, Period
from .entities import ExtractEntities
from .ids import AssignPostIds
from .limits import LimitRejects
from .normalize import NormalizeText
from .privacy import Privacy, Pseudonymise
from .replies import ResolveReplies


def pipeline_steps(period: Period | None, max_rejects: int | None, privacy: Privacy) -> list[Step]:
    """The steps every post of a conversion passes through, in order."""
    return [LimitRejects(max_rejects), NormalizeText(), ExtractEntities(), Pseudonymise(privacy), AssignPostIds(),
            InferDates(period), ResolveReplies()]
