"""Signals other apps listen to (the rectification ledger hooks in here)."""

from django.dispatch import Signal

# Sent on commit when a verification finds the complaint true or partly true (PRODUCT.md: a true
# or partly true case creates an issue for the ledger). Arguments: sender=Complaint, complaint=...
complaint_verified_true = Signal()

# Sent inside the verifying transaction for every verification (any result), so a listener's
# writes (the ledger issue for a true or partly true case) commit or roll back with it.
# Arguments: sender=Complaint, complaint=..., result=..., actor=...
complaint_verified = Signal()
