"""Survey answers written in bulk by a connector: upserted on (source, external_id).

A helpdesk sends a rating again whenever its ticket changes, and may change it (good to bad);
each batch is one INSERT … ON CONFLICT, and the days each answer counted on before and counts on
now are marked for rescoring, in a constant number of queries.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Interaction
from feedback.models import SurveyResponse
from feedback.services import survey_response_errors
from scorecards.dirty import Pair, days_mark_dirty, local_day

_BATCH_SIZE = 500


def _day_pairs(*, employee_id: int, moment: dt.datetime) -> set[Pair]:
    day = local_day(moment)
    return {(employee_id, day)} if day is not None else set()


@transaction.atomic
def survey_responses_upsert(
    *, rows: Sequence[Mapping[str, Any]]
) -> tuple[list[SurveyResponse], dict[int, dict[str, list[str]]]]:
    """Create or update answers; return those written and, by row index, the refused ones.

    Each row has `interaction_id`, `csat`, `source`, `external_id` and optionally `comment`,
    `submitted_at`, `language`. A refused row (a rating out of range, an answer before its
    interaction) does not stop the others: each answer stands alone.
    """
    now = timezone.now()
    interactions = Interaction.objects.in_bulk(
        {row["interaction_id"] for row in rows}, field_name="pk"
    )
    errors: dict[int, dict[str, list[str]]] = {}
    accepted: dict[tuple[str, str], SurveyResponse] = {}
    for index, row in enumerate(rows):
        interaction = interactions.get(row["interaction_id"])
        if interaction is None:
            errors[index] = {"interaction": [_("Unknown interaction.")]}
            continue
        response = SurveyResponse(
            interaction=interaction,
            csat=row["csat"],
            comment=row.get("comment", ""),
            language=row.get("language") or "en",
            submitted_at=min(row.get("submitted_at") or now, now),
            source=row["source"],
            external_id=row["external_id"],
        )
        row_errors = survey_response_errors(response=response, now=now)
        if row_errors:
            errors[index] = row_errors
            continue
        # The last of two rows with one key wins, as a second delivery would.
        accepted[(response.source, str(response.external_id))] = response
    if not accepted:
        return [], errors

    keys_by_source: dict[str, list[str]] = {}
    for source, external_id in accepted:
        keys_by_source.setdefault(source, []).append(external_id)
    condition = reduce(or_, (Q(source=s, external_id__in=ids) for s, ids in keys_by_source.items()))
    pairs: set[Pair] = set()
    for employee_id, submitted_at in SurveyResponse.objects.filter(condition).values_list(
        "interaction__employee_id", "submitted_at"
    ):
        pairs |= _day_pairs(employee_id=employee_id, moment=submitted_at)
    responses = sorted(accepted.values(), key=lambda r: (r.source, str(r.external_id)))
    SurveyResponse.objects.bulk_create(
        responses,
        batch_size=_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["source", "external_id"],
        update_fields=["interaction", "csat", "comment", "submitted_at"],
    )
    for response in responses:
        pairs |= _day_pairs(
            employee_id=response.interaction.employee_id, moment=response.submitted_at
        )
    days_mark_dirty(pairs=pairs)
    return responses, errors
