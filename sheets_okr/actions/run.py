"""`sheets-okr run` as a function: lock, healthcheck, sync every tracker, one summary, email.

The order matters for a scheduled job: configuration mistakes stop the run before anything
happens (exit 2, no ping: the healthcheck notices only the missing success); a second run
stops at the lock (exit 75) without pinging, so a run still going is not reported as failed;
the healthcheck hears of the start and, whatever happens after (a SIGTERM included, which
`sheets-okr run` turns into SystemExit(75)), of the end. A ping never fails the run.
The summary email goes out when at least one tracker could be read, at most once per as-of
date and recipients (send.py's one email flow), and names the trackers that failed; with
[email] day, only on that day's runs. On the day [reminders] names, each owner with key
results to update gets one reminder (remind.py), at most once per as-of date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sheets_okr.actions.remind import RemindDelivery, send_reminders, unreached_warnings
from sheets_okr.actions.send import Delivery, send_once
from sheets_okr.actions.summarise import summarise_run, write_report
from sheets_okr.actions.trackers import RunReport, sync_trackers
from sheets_okr.config.load import Config, ConfigError, EmailConfig, RemindersConfig
from sheets_okr.config.people import WEEKDAYS
from sheets_okr.config.values import ENV_NAME
from sheets_okr.deliver.healthcheck import Healthcheck
from sheets_okr.deliver.lock import run_lock
from sheets_okr.errors import EXIT_FINDINGS, EXIT_OK, SheetsOkrError, UsageError
from sheets_okr.remind.select import RemindSettings, TrackerToRemind, plan_reminders
from sheets_okr.summary.company import CompanyDigest
from sheets_okr.summary.render import Rendered

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOptions:
    """How this run goes, from the command line."""

    as_of: dt.date
    dry_run: bool = False  # write no workbook, send nothing, ping nothing, take no lock
    send_email: bool = True
    report: Path | None = None  # also write the summary page here (.html)
    eml: Path | None = None  # also keep the email here (.eml)
    force: bool = False  # send the summary again (and, with remind=True, the reminders)
    remind: bool | None = None  # remind owners; None: on the day [reminders] names
    summary_any_day: bool = False  # send the summary even when [email] day names another day
    remind_folder: Path | None = None  # also keep each reminder here, as ADDRESS.eml


def run(config: Config, options: RunOptions) -> RunReport:
    """The whole scheduled run; its exit_code says how it went."""
    _preflight(config, options)
    if options.dry_run:
        return _run(config, options)
    with run_lock():
        check = _healthcheck(config)
        code, body = EXIT_FINDINGS, "the run stopped on an unexpected error"
        try:
            if check is not None:
                check.start()
            report = _run(config, options)
            code, body = report.exit_code, "\n".join(report.lines())
        except SheetsOkrError as error:
            code, body = error.exit_code, str(error)
            raise
        except SystemExit as stop:  # SIGTERM (a timeout, systemctl stop): still say so
            code = stop.code if isinstance(stop.code, int) and stop.code else EXIT_FINDINGS
            body = "the run was stopped (SIGTERM) before it finished"
            raise
        finally:
            if check is not None:
                check.finish(code, body)
    return report


def _preflight(config: Config, options: RunOptions) -> None:
    """Mistakes found before the run starts: nothing has happened yet when they stop it."""
    if options.report is not None and options.report.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"{options.report}: the report is an .html file")
    config.check_credentials()
    email = config.email
    if options.remind and email is None:
        raise ConfigError(f"{config.path}: --remind needs an [email] table: its server and"
                          " sender send the reminders")  # fmt: skip
    if email is None or not options.send_email or options.dry_run:
        return
    if email.user and not os.environ.get(email.password_env):
        # The configuration checked that password_env is a variable's name; a value that
        # is not one might be the password itself and is never repeated.
        named = email.password_env if ENV_NAME.match(email.password_env) else "[email] password_env"
        raise ConfigError(
            f"{config.path}: [email] user is {email.user}, but the environment variable"
            f" {named} that should hold the SMTP password is not set"
        )


def _healthcheck(config: Config) -> Healthcheck | None:
    settings = config.healthcheck
    if settings is None:
        return None
    if settings.url is None:
        log.warning("[healthcheck] url_env names %s, which is not set: no pings",
                    settings.url_env)  # fmt: skip
        return None
    return Healthcheck(settings.url, settings.timeout)


def _run(config: Config, options: RunOptions) -> RunReport:
    report = sync_trackers(config, as_of=options.as_of, dry_run=options.dry_run)
    if all(run.scored is None for run in report.trackers):
        log.warning("no tracker could be read, so there is no summary")
        return report
    return _reminders(config, options, _summary(config, options, report))


def _summary(config: Config, options: RunOptions, report: RunReport) -> RunReport:
    email = config.email
    try:
        company, rendered = summarise_run(
            report, config.scoring, lang=email.lang if email else "en",
            subject=email.subject if email else None, now=config.now(),
        )  # fmt: skip
        if options.report is not None:
            write_report(rendered, options.report)
    except (SheetsOkrError, OSError) as error:  # -o unwritable: the syncs still count
        code = error.exit_code if isinstance(error, SheetsOkrError) else EXIT_FINDINGS
        return dataclasses.replace(report, email=f"no summary: {error}", email_exit_code=code)
    except Exception as error:  # a bug in the summary must not hide how the syncs went
        log.exception("the summary could not be made")
        said = f"no summary: unexpected error: {type(error).__name__}: {error}"
        return dataclasses.replace(report, email=said, email_exit_code=EXIT_FINDINGS)
    if email is None or not options.send_email:
        return report
    days = email.days
    if days is not None and options.as_of.weekday() not in days and not options.summary_any_day:
        said = f"not sent: the summary goes out on {_days(days)} (--summary sends it)"
        return dataclasses.replace(report, email=said)
    said, code = _email(config, email, company, rendered, options)
    return dataclasses.replace(report, email=said, email_exit_code=code)


def _email(
    config: Config,
    email: EmailConfig,
    company: CompanyDigest,
    rendered: Rendered,
    options: RunOptions,
) -> tuple[str, int]:
    """Send the summary (or, on a dry run, only keep it); what happened, and its exit code."""
    delivery = Delivery(
        email.sender, email.recipients, email.smtp,
        sent_key=f"run:{config.path.resolve()}",  # one sent-log entry per configuration
        unsent_label="okr-run-summary", eml=options.eml, dry_run=options.dry_run,
        force=options.force,
    )  # fmt: skip
    whom = f"{len(email.recipients)} recipient{'s' if len(email.recipients) > 1 else ''}"
    try:
        outcome = send_once(rendered, company.as_of, delivery)
    except SheetsOkrError as error:
        return str(error), error.exit_code
    if options.dry_run:
        return f'would send "{rendered.subject}" to {whom}', EXIT_OK
    if outcome.skipped:
        return (f"not sent: the summary of {company.as_of} already went to these recipients"
                f" at {outcome.sent_before} (--force sends it again)"), EXIT_OK  # fmt: skip
    return f'sent "{rendered.subject}" to {whom}', EXIT_OK


def _days(days: tuple[int, ...]) -> str:
    return " and ".join(WEEKDAYS[day].capitalize() for day in days)


def _reminders(config: Config, options: RunOptions, report: RunReport) -> RunReport:
    """On the reminder day, one email to each owner with key results to update; any day,
    the owners it cannot reach (for the report). `--remind` reminds without [reminders]
    too, with its defaults. `--force` sends the reminders again only with `--remind`: a
    forced summary is no reason to remind every owner twice."""
    settings, email = config.reminders, config.email
    if settings is None and options.remind:
        settings = RemindersConfig(days=())
    if settings is None or email is None:  # _preflight refused --remind without [email]
        return report
    remind = RemindSettings(
        options.as_of, config.lint.stale_after, settings.due_within,
        config.scoring.fiscal_year_start_month, settings.lang, email.lang,
    )  # fmt: skip
    trackers = [TrackerToRemind(t.name, t.scored) for t in report.trackers if t.scored is not None]
    today = options.as_of.weekday() in settings.days if options.remind is None else options.remind
    delivery = RemindDelivery(
        email.sender, email.smtp, dry_run=options.dry_run, folder=options.remind_folder,
        force=options.force and options.remind is True,
    )  # fmt: skip
    try:
        plan = plan_reminders(trackers, remind, config.people)
        report = dataclasses.replace(report, unreached=tuple(map(str, plan.unreached)),
                                     reminder_warnings=unreached_warnings(plan))  # fmt: skip
        if not today or not options.send_email:
            return report
        if options.remind_folder is not None:
            options.remind_folder.mkdir(parents=True, exist_ok=True)
        outcome = send_reminders(plan, options.as_of, delivery)
    except (SheetsOkrError, OSError) as error:
        code = error.exit_code if isinstance(error, SheetsOkrError) else EXIT_FINDINGS
        return dataclasses.replace(report, reminders=f"no reminders: {error}",
                                   reminders_exit_code=code)  # fmt: skip
    except Exception as error:  # a bug in the reminders must not hide how the rest went
        log.exception("the reminders could not be sent")
        said = f"no reminders: unexpected error: {type(error).__name__}: {error}"
        return dataclasses.replace(report, reminders=said, reminders_exit_code=EXIT_FINDINGS)
    # Whom they cannot reach is said apart (RunReport.reminder_warnings), every day.
    return dataclasses.replace(report, reminders=outcome.describe(),
                               reminders_exit_code=outcome.exit_code)  # fmt: skip
