"""Signals other apps listen to (accountability hooks in here)."""

from django.dispatch import Signal

# Sent inside the recording transaction when a spot check finds an item not adequately or
# falsely rectified, so a listener's writes (the accountability case) commit or roll back with
# it. Arguments: sender=AccountabilityReferral, referral=..., actor=...
spot_check_failed = Signal()
