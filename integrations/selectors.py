"""Reads of the integrations pages: connections with their state, events, the agent queue."""

from dataclasses import dataclass

from django.db.models import Count, F, Max, Q, QuerySet

from integrations.choices import EventStatus
from integrations.models import Connection, ExternalAgent, InboundEvent
from staff.models import Employee

CONNECTION_SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "last_event": ("last_event_at", "pk"),
    "-last_event": ("-last_event_at", "-pk"),
}
DEFAULT_CONNECTION_SORT = "name"
RECENT_ERRORS = 5


def _status_counts() -> dict:
    return {
        f"{status}_count": Count("events", filter=Q(events__status=status))
        for status in EventStatus.values
    }


def connection_list(*, query: str = "", sort: str = DEFAULT_CONNECTION_SORT) -> QuerySet:
    """Every connection with its events counted by status and its newest event's time."""
    connections = Connection.objects.annotate(
        **_status_counts(), newest_event_at=Max("events__received_at")
    )
    query = query.replace("\x00", "").strip()
    if query:
        connections = connections.filter(name__icontains=query)
    return connections.order_by(
        *CONNECTION_SORTS.get(sort, CONNECTION_SORTS[DEFAULT_CONNECTION_SORT])
    )


@dataclass(frozen=True)
class ConnectionState:
    counts: dict[str, int]
    newest_event_at: object
    recent_errors: list[InboundEvent]
    agents_waiting: int

    @property
    def health(self) -> str:
        """One word for the state line: failing, waiting, or healthy (or idle)."""
        if self.counts.get(EventStatus.REFUSED):
            return "failing"
        if self.counts.get(EventStatus.HELD) or self.agents_waiting:
            return "waiting"
        return "healthy" if self.newest_event_at else "idle"


def connection_state(*, connection: Connection) -> ConnectionState:
    """The connection's events counted by status, its newest event and its latest refusals."""
    grouped = dict(
        InboundEvent.objects.filter(connection=connection)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts = {status: grouped.get(status, 0) for status in EventStatus.values}
    newest = (
        InboundEvent.objects.filter(connection=connection)
        .order_by("-received_at")
        .values_list("received_at", flat=True)
        .first()
    )
    errors = list(
        InboundEvent.objects.filter(connection=connection, status=EventStatus.REFUSED)
        .defer("body")
        .order_by("-received_at", "-pk")[:RECENT_ERRORS]
    )
    waiting = ExternalAgent.objects.filter(connection=connection, employee__isnull=True).count()
    return ConnectionState(
        counts=counts, newest_event_at=newest, recent_errors=errors, agents_waiting=waiting
    )


def connection_events(*, connection: Connection, status: str = "", query: str = "") -> QuerySet:
    """The connection's events, newest first, without their bodies (one click away)."""
    events = InboundEvent.objects.filter(connection=connection).defer("body")
    if status in EventStatus.values:
        events = events.filter(status=status)
    query = query.replace("\x00", "").strip()
    if query:
        events = events.filter(
            Q(external_id=query) | Q(event_type__icontains=query) | Q(error__icontains=query)
        )
    return events.select_related("agent").order_by("-received_at", "-pk")


def agents_queue(*, waiting_only: bool = True, query: str = "") -> QuerySet[ExternalAgent]:
    """Helpdesk agents, those waiting for an employee first, with their held events counted."""
    agents = ExternalAgent.objects.select_related("connection", "employee__user").annotate(
        held_count=Count("events", filter=Q(events__status=EventStatus.HELD))
    )
    if waiting_only:
        agents = agents.filter(employee__isnull=True)
    query = query.replace("\x00", "").strip()
    if query:
        agents = agents.filter(
            Q(name__icontains=query) | Q(email__icontains=query) | Q(external_id=query)
        )
    # Waiting agents first (a NULL employee sorts first), then by connection and name.
    return agents.order_by(
        F("employee").asc(nulls_first=True), "connection__name", "name", "email", "pk"
    )


def employees_mappable() -> QuerySet[Employee]:
    """The employees a helpdesk agent may be mapped to: active ones."""
    return (
        Employee.objects.filter(is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def employee_suggested(*, agent: ExternalAgent, employees: list[Employee]) -> Employee | None:
    """The employee whose name is the agent's, to pre-select in the queue (one click)."""
    name = agent.name.strip().casefold()
    if not name:
        return None
    for employee in employees:
        if employee.user.get_full_name().strip().casefold() == name:
            return employee
    return None
