"""Holding a plan to the OKR method: rules, findings that point at a cell, word lists, and the
checks' settings."""
