"""Getting the summary out and remembering it: SMTP, the sent-log and unsent mail, the run
lock, the healthcheck."""
