"""The OKR domain: what a tracker holds once read (objectives, key results, actions, problems),
quarters, and how a tracker's sync ended."""
