"""The audit log's actions: one typed set, so a misspelt action is a programming error, not a
row nobody will ever find. `core.services.audit` accepts only members of `AuditAction`."""

from __future__ import annotations

from django.db import models


class AuditAction(models.TextChoices):
    """Every write that changes who can do what, or what someone holds, records one of these."""

    ORGANIZATION_CREATE = "organization.create"
    ORGANIZATION_UPDATE = "organization.update"
    ORGANIZATION_VERIFY = "organization.verify"
    ORGANIZATION_UNVERIFY = "organization.unverify"
    ORGANIZATION_QUOTA = "organization.quota"

    MEMBERSHIP_ADD = "membership.add"
    MEMBERSHIP_JOIN = "membership.join"
    MEMBERSHIP_REMOVE = "membership.remove"
    MEMBERSHIP_ROLE = "membership.role"

    INVITATION_CREATE = "invitation.create"
    INVITATION_CANCEL = "invitation.cancel"

    OPERATOR_GRANT = "operator.grant"
    OPERATOR_REVOKE = "operator.revoke"

    API_TOKEN_CREATE = "api_token.create"  # noqa: S105 (an action name, not a secret)
    API_TOKEN_REVOKE = "api_token.revoke"  # noqa: S105

    LOGO_REPLACED = "logo.replaced"
    LOGO_REMOVED = "logo.removed"

    AVATAR_REPLACED = "avatar.replaced"
    AVATAR_REMOVED = "avatar.removed"

    THUMBNAIL_REPLACED = "thumbnail.replaced"
    THUMBNAIL_REMOVED = "thumbnail.removed"

    BANNER_REPLACED = "banner.replaced"
    BANNER_REMOVED = "banner.removed"

    COURSE_CREATE = "course.create"
    COURSE_IMPORT = "course.import"
    COURSE_PUBLISH = "course.publish"
    COURSE_UNPUBLISH = "course.unpublish"
    COURSE_AUTHOR_ADD = "course.author_add"
    COURSE_AUTHOR_REMOVE = "course.author_remove"

    RUN_SAVE = "run.save"

    GRADES_RELEASE = "grades.release"

    CERTIFICATION_PUBLISH = "certification.publish"

    VOUCHERS_ISSUE = "vouchers.issue"

    VOUCHER_REDEEM = "voucher.redeem"

    CREDENTIAL_ISSUE = "credential.issue"
    CREDENTIAL_REVOKE = "credential.revoke"
    CREDENTIAL_KEY_ROTATE = "credential.key_rotate"

    BADGE_ART_REPLACED = "badge_art.replaced"
    BADGE_ART_REMOVED = "badge_art.removed"

    COMPETITION_CREATE = "competition.create"
    COMPETITION_EDIT = "competition.edit"
    COMPETITION_PUBLISH = "competition.publish"
    COMPETITION_MESSAGE_WINNERS = "competition.message_winners"

    PHASE_ADD = "phase.add"
    PHASE_ADVANCE = "phase.advance"
    PHASE_RESCORE = "phase.rescore"

    SOLUTION_UPLOAD = "solution.upload"

    DATAFILE_UPLOAD = "datafile.upload"

    TEAM_CREATE = "team.create"
    TEAM_JOIN = "team.join"
    TEAM_LEAVE = "team.leave"
    TEAM_MERGE = "team.merge"
    TEAM_DISQUALIFY = "team.disqualify"
    TEAM_REINSTATE = "team.reinstate"

    DISCUSSION_THREAD_SET = "discussion.thread_set"
    DISCUSSION_HIDE = "discussion.hide"
    DISCUSSION_RESTORE = "discussion.restore"
    DISCUSSION_DISMISS = "discussion.dismiss"

    IMPACT_TARGET_CREATE = "impact.target.create"
    IMPACT_TARGET_UPDATE = "impact.target.update"
    IMPACT_TARGET_DELETE = "impact.target.delete"

    OPENING_CREATE = "opening.create"
    OPENING_EDIT = "opening.edit"
    OPENING_PUBLISH = "opening.publish"
    OPENING_REOPEN = "opening.reopen"
    OPENING_CLOSE = "opening.close"
    OPENING_FEATURE = "opening.feature"
    OPENING_UNFEATURE = "opening.unfeature"

    TALENT_APPLICATION_CREATE = "talent.application.create"
    TALENT_APPLICATION_STAGE = "talent.application.stage"
    TALENT_APPLICATION_WITHDRAW = "talent.application.withdraw"
    TALENT_APPLICATION_ACCEPT = "talent.application.accept"
    TALENT_APPLICATION_DECLINE = "talent.application.decline"
    TALENT_APPLICATION_NOTE = "talent.application.note"
    TALENT_SLOT_CREATE = "talent.slot.create"
    TALENT_SLOT_DELETE = "talent.slot.delete"
    TALENT_SLOT_BOOK = "talent.slot.book"
    TALENT_SLOT_CANCEL = "talent.slot.cancel"
    TALENT_ROUND_CREATE = "talent.round.create"
    TALENT_ROUND_ADD_OPENING = "talent.round.add_opening"
    TALENT_ROUND_REMOVE_OPENING = "talent.round.remove_opening"
    TALENT_ROUND_ANNOUNCE = "talent.round.announce"
    TALENT_ROUND_SEATS = "talent.round.seats"
    TALENT_ROUND_RUN = "talent.round.run"
    TALENT_ROUND_ACCEPT = "talent.round.accept"
    TALENT_ROUND_DECLINE = "talent.round.decline"
    TALENT_PROFILE_VISIBILITY = "talent.profile_visibility"
    TALENT_PROFILE_LINK = "talent.profile_link"

    VENTURES_STARTUP_PROFILE = "ventures.startup_profile"
    VENTURES_STARTUP_ROUND = "ventures.startup_round"
    VENTURES_STARTUP_ROUND_CLOSED = "ventures.startup_round_closed"
    VENTURES_TEAM_SET = "ventures.team_set"
    VENTURES_TEAM_REMOVE = "ventures.team_remove"
    VENTURES_TRACTION_SET = "ventures.traction_set"
    VENTURES_TRACTION_DELETE = "ventures.traction_delete"
    VENTURES_DECK_UPLOAD = "ventures.deck_upload"
    VENTURES_DECK_REMOVE = "ventures.deck_remove"
    VENTURES_DECK_SHARE = "ventures.deck_share"
    VENTURES_DECK_UNSHARE = "ventures.deck_unshare"
    VENTURES_INVESTOR_PROFILE = "ventures.investor_profile"
    VENTURES_PARTNER_SET = "ventures.partner_set"
    VENTURES_PARTNER_REMOVE = "ventures.partner_remove"
    VENTURES_INTRO_ASK = "ventures.intro.ask"
    VENTURES_INTRO_ACCEPTED = "ventures.intro.accepted"
    VENTURES_INTRO_DECLINED = "ventures.intro.declined"
    VENTURES_INTRO_WITHDRAWN = "ventures.intro.withdrawn"
    VENTURES_DEAL_ADD = "ventures.deal.add"
    VENTURES_DEAL_MOVE = "ventures.deal.move"
    VENTURES_INVESTMENT_RECORD = "ventures.investment.record"
    VENTURES_INVESTMENT_CONFIRMED = "ventures.investment.confirmed"
    VENTURES_INVESTMENT_DISPUTED = "ventures.investment.disputed"
    VENTURES_EVENT_CREATE = "ventures.event.create"
    VENTURES_EVENT_UPDATE = "ventures.event.update"
    VENTURES_EVENT_PUBLISH = "ventures.event.publish"
    VENTURES_EVENT_OPEN_MARKING = "ventures.event.open_marking"
    VENTURES_EVENT_CLOSE_MARKING = "ventures.event.close_marking"
    VENTURES_EVENT_LATE_REGISTRATION = "ventures.event.late_registration"
    VENTURES_EVENT_REGISTER = "ventures.event.register"
    VENTURES_EVENT_BUILD = "ventures.event.build"
    VENTURES_CREDITS_BUDGET = "ventures.credits.budget"
    VENTURES_CREDITS_DEPOSIT = "ventures.credits.deposit"
    VENTURES_CREDITS_APPLY = "ventures.credits.apply"
    VENTURES_CREDITS_APPROVE = "ventures.credits.approve"
    VENTURES_CREDITS_REJECT = "ventures.credits.reject"
    VENTURES_READINESS_SUBMIT = "ventures.readiness.submit"
    VENTURES_READINESS_SHARE = "ventures.readiness.share"
    VENTURES_CENTRE_SERVICE_CREATE = "ventures.centre.service_create"
    VENTURES_CENTRE_SERVICE_UPDATE = "ventures.centre.service_update"
    VENTURES_CENTRE_SERVICE_REACTIVATE = "ventures.centre.service_reactivate"
    VENTURES_CENTRE_SERVICE_RETIRE = "ventures.centre.service_retire"
    VENTURES_CENTRE_REQUEST = "ventures.centre.request"
    VENTURES_CENTRE_ASSIGN = "ventures.centre.assign"
    VENTURES_CENTRE_MOVE = "ventures.centre.move"
    VENTURES_CENTRE_CANCEL = "ventures.centre.cancel"
    VENTURES_CENTRE_SLOT = "ventures.centre.slot"
    VENTURES_CENTRE_SLOT_DELETE = "ventures.centre.slot_delete"
    VENTURES_CENTRE_BOOK = "ventures.centre.book"
    VENTURES_CENTRE_UNBOOK = "ventures.centre.unbook"
