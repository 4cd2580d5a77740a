"""The issue flow of an official document: 拟稿 → 审核 → 领导签发 → 印发 (issued, immutable).

A reviewer or the signing leader may send it back to the drafter."""

from xiaoneng.core.workflow import StateMachine

from .vocab import DocumentStatus as S

DOCUMENT = StateMachine.define(
    "status",
    ("submit", S.DRAFT, S.REVIEW),
    ("review", S.REVIEW, S.SIGNOFF),
    ("send_back", (S.REVIEW, S.SIGNOFF), S.DRAFT),
    ("sign_off", S.SIGNOFF, S.ISSUED),
)

DRAFT = "document.draft"
REVIEW = "document.review"
SIGN = "document.sign"
