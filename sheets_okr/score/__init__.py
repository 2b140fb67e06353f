"""Scoring with pandas (scorecard.py) and the one home of the scoring settings (settings.py)."""
