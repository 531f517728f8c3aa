"""Signals other apps listen to, so that the case engine never imports them (honours reviews its rules here)."""

from django.dispatch import Signal

# Sent after the transaction that created a case or took a lifecycle step on it commits; arguments: case_id, action
# (the step's, "receive" for a new case) and event_id (its timeline entry).
case_changed = Signal()
