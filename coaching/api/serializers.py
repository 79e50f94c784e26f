from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from feedback.api.serializers import PersonSerializer


class IdsField(serializers.ListField):
    """The ids of a many-to-many relation's rows (read from its prefetched rows)."""

    child = serializers.IntegerField()

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, data):
        return [row.pk for row in data.all()]


class CoachingCriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class CoachingActionReadSerializer(serializers.Serializer):
    """Something agreed in the session: who does it, by when, and when it was done."""

    id = serializers.IntegerField()
    description = serializers.CharField()
    owner = PersonSerializer()
    due_on = serializers.DateField()
    done_at = serializers.DateTimeField(allow_null=True, help_text=_("Null while open."))


class CoachingSessionSerializer(serializers.Serializer):
    """A coaching session: its topics and links, notes, agreed actions and the agent's answer."""

    id = serializers.IntegerField()
    agent = PersonSerializer()
    coach = PersonSerializer()
    held_on = serializers.DateField()
    metrics = serializers.ListField(
        child=serializers.CharField(), help_text=_("The metric codes coached.")
    )
    criteria = CoachingCriterionSerializer(source="criteria.all", many=True)
    reviews = IdsField(help_text=_("Ids of the QA reviews discussed."))
    interactions = IdsField(help_text=_("Ids of the interactions discussed."))
    goals = IdsField(help_text=_("Ids of the goals discussed."))
    notes = serializers.CharField()
    actions = CoachingActionReadSerializer(source="actions.all", many=True)
    follow_up_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the agent acknowledged the session; null until then.")
    )
    agent_comment = serializers.CharField()


SESSION_FILE_COLUMNS = [
    "id",
    "agent_id",
    "agent_name",
    "agent_external_id",
    "coach_name",
    "held_on",
    "metrics",
    "criteria",
    "reviews",
    "interactions",
    "goals",
    "notes",
    "actions",
    "actions_open",
    "follow_up_on",
    "created_at",
    "acknowledged_at",
    "agent_comment",
]


def session_file_rows(session: dict) -> list[list]:
    """Return a serialized session as one file line; lists joined, each action as
    "description (owner, due day[, done day])"."""
    actions = [
        f"{action['description']} ({action['owner']['name']}, {action['due_on']}"
        + (f", {action['done_at'][:10]}" if action["done_at"] else "")
        + ")"
        for action in session["actions"]
    ]
    return [
        [
            session["id"],
            session["agent"]["id"],
            session["agent"]["name"],
            session["agent"]["external_id"],
            session["coach"]["name"],
            _day(session["held_on"]),
            " ".join(session["metrics"]),
            " ".join(criterion["code"] for criterion in session["criteria"]),
            " ".join(str(pk) for pk in session["reviews"]),
            " ".join(str(pk) for pk in session["interactions"]),
            " ".join(str(pk) for pk in session["goals"]),
            session["notes"],
            "; ".join(actions),
            sum(1 for action in session["actions"] if not action["done_at"]),
            _day(session["follow_up_on"]),
            _moment(session["created_at"]),
            _moment(session["acknowledged_at"]),
            session["agent_comment"],
        ]
    ]


def _day(value: str | None):
    return None if value is None else parse_date(value)


def _moment(value: str | None):
    return None if value is None else parse_datetime(value)
