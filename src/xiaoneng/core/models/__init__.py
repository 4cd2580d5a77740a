from .access import DataScope, Role, User
from .audit import AuditRecord, LoginLog
from .calendar import CalendarDay, CalendarYear
from .files import StoredFile
from .idempotency import IdempotencyKey
from .inbox import Message
from .jobs import Job
from .org import Department, Person, Unit
from .outbox import (
    DeliveryReceipt,
    Notification,
    NotificationChannel,
    NotificationPreference,
    NotificationTemplate,
)
from .sequences import NumberSequence
from .tokens import ApiToken

__all__ = [
    "ApiToken",
    "AuditRecord",
    "CalendarDay",
    "CalendarYear",
    "DataScope",
    "DeliveryReceipt",
    "Department",
    "IdempotencyKey",
    "Job",
    "LoginLog",
    "Message",
    "Notification",
    "NumberSequence",
    "NotificationChannel",
    "NotificationPreference",
    "NotificationTemplate",
    "Person",
    "Role",
    "StoredFile",
    "Unit",
    "User",
]
