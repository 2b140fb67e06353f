"""Reminders to owners: which key results need a check-in, by owner, and the email saying so."""
