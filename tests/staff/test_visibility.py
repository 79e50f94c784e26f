import pytest

from staff.choices import Role
from staff.selectors import employees_visible_to, teams_visible_to
from tests.factories import EmployeeFactory, TeamFactory, TeamMembershipFactory, UserFactory


@pytest.fixture
def two_teams(db):
    mine, other = TeamFactory(), TeamFactory()
    manager = EmployeeFactory(role=Role.MANAGER)
    mine.managers.add(manager)
    agents = {}
    for name, team in (("mine", mine), ("other", other)):
        agents[name] = EmployeeFactory(role=Role.AGENT)
        TeamMembershipFactory(employee=agents[name], team=team)
    return mine, other, manager, agents


def test_agents_see_only_themselves(two_teams):
    _, _, _, agents = two_teams
    visible = employees_visible_to(user=agents["mine"].user)
    assert list(visible) == [agents["mine"]]
    assert not teams_visible_to(user=agents["mine"].user).exists()


def test_managers_see_the_people_of_their_own_teams_only(two_teams):
    mine, _, manager, agents = two_teams
    assert set(employees_visible_to(user=manager.user)) == {agents["mine"]}
    assert list(teams_visible_to(user=manager.user)) == [mine]


def test_onboarding_staff_see_no_individual_figures(two_teams):
    onboarding = EmployeeFactory(role=Role.ONBOARDING)
    assert not employees_visible_to(user=onboarding.user).exists()
    assert not teams_visible_to(user=onboarding.user).exists()


def test_admins_and_superusers_see_everyone(two_teams):
    admin = EmployeeFactory(role=Role.ADMIN)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for user in (admin.user, superuser):
        assert employees_visible_to(user=user).count() == 4
        assert teams_visible_to(user=user).count() == 2
