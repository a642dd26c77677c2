"""Every table, imported in one place so that SQLModel's metadata is complete."""

from inset.accounts.models import Account, ApiToken, Integration, SignInAttempt, WebSession
from inset.audit.models import AuditEvent
from inset.collective.models import CaseStudy
from inset.economics.models import Benefit, Cost, EconomicsBasis, ProjectEconomics
from inset.events.models import Event
from inset.evidence.models import Evidence
from inset.gates.models import GateDecision
from inset.idempotency.models import IdempotencyRecord
from inset.lessons.models import Lesson, LessonBarrier, LessonMark
from inset.nominations.models import Nomination
from inset.notifications.models import EmailDigest, Follow, Notification
from inset.organisations.models import Organisation
from inset.outcomes.models import Observation, Outcome
from inset.projects.models import Project, ProjectPartner, ProjectTheme
from inset.ratelimit.models import RateLimitBucket
from inset.reviews.models import GateReview
from inset.themes.models import Theme
from inset.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "Account",
    "ApiToken",
    "AuditEvent",
    "Benefit",
    "CaseStudy",
    "Cost",
    "EconomicsBasis",
    "EmailDigest",
    "Event",
    "Evidence",
    "Follow",
    "GateDecision",
    "GateReview",
    "IdempotencyRecord",
    "Integration",
    "Lesson",
    "LessonBarrier",
    "LessonMark",
    "Nomination",
    "Notification",
    "Observation",
    "Organisation",
    "Outcome",
    "Project",
    "ProjectEconomics",
    "ProjectPartner",
    "ProjectTheme",
    "RateLimitBucket",
    "SignInAttempt",
    "Theme",
    "WebSession",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
