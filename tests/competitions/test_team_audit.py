"""Team membership is part of what someone holds in a competition: creating, joining and leaving a
team are audited with who did it and which team; a refused repeat records nothing."""

import pytest
from django.core.exceptions import ValidationError

from forward.competitions import services
from forward.core.models import AuditEvent


def _events(action: str):
    return list(AuditEvent.objects.filter(action=action).values_list("actor__email", "target", "organization__name"))


def test_creating_joining_and_leaving_a_team_are_audited(world, team):
    assert _events("team.create") == [("alice@uni.test", "Gradient Gang", "Retail Lab")]
    assert _events("team.join") == [("bob@uni.test", "Gradient Gang", "Retail Lab")]

    with pytest.raises(ValidationError, match="already in a team"):  # a second click on "join"
        services.team_join(user=world.bob, competition=world.competition, invite_code=team.invite_code)
    assert len(_events("team.join")) == 1

    services.team_leave(user=world.bob, competition=world.competition)
    assert _events("team.leave") == [("bob@uni.test", "Gradient Gang", "Retail Lab")]
    with pytest.raises(ValidationError, match="not in a team"):  # and a second click on "leave"
        services.team_leave(user=world.bob, competition=world.competition)
    assert len(_events("team.leave")) == 1
