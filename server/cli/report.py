"""`tierd report`: the usage report read straight from the ledger (not through a running tierd)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any, cast

from rich.console import Console
from rich.table import Table

from server.accounting.reader import LedgerReader, ledger_url_of
from server.accounting.usage import GROUP_BYS, GroupBy, read_usage, usage_document
from server.accounting.usage_window import DEFAULT_SINCE, WindowError, resolve_window
from server.settings import ConfigError, Settings

Loader = Callable[[argparse.Namespace], Settings]


def add_report_command(sub: Any, add_config_args: Callable[[argparse.ArgumentParser], None], load: Loader) -> None:
    report = sub.add_parser(
        "report",
        help="cost, savings, coverage, escalations and latency from the ledger, for a time window",
        description="Reads the ledger directly (the config's accounting.ledger_url, or --ledger-url) and prints "
        "the same figures as GET /v1/usage: totals, then one row per group. --json prints exactly what "
        "GET /v1/usage returns.",
    )
    add_config_args(report)
    report.add_argument("--since", default=DEFAULT_SINCE, help="7d, 24h, 30m or an ISO-8601 time (default 24h)")
    report.add_argument("--until", help="same forms as --since (default: now)")
    report.add_argument("--group-by", choices=GROUP_BYS, default="tier", help="final tier, API key or UTC day")
    report.add_argument("--json", action="store_true", help="print the GET /v1/usage JSON")
    report.add_argument("--ledger-url", help="a SQLAlchemy URL, e.g. sqlite:///ledger.db (default: from the config)")
    report.set_defaults(func=lambda a: run_report(a, load))


def run_report(args: argparse.Namespace, load: Loader) -> int:
    try:
        window = resolve_window(args.since, args.until)
    except WindowError as exc:
        raise ConfigError(f"--{exc.param}: {exc}") from None
    reader = LedgerReader(args.ledger_url or ledger_url_of(load(args)))
    console = Console(highlight=False)
    if not console.is_terminal:  # piped or captured: rich would squeeze the tables into 80 columns
        console.width = 150
    engine = reader.engine()
    if engine is None:
        console.print(
            f"[bold]No ledger at {reader.location}[/bold]: tierd has not recorded any request there yet "
            "(it writes the ledger while serving; check accounting.ledger_url, or pass --ledger-url)."
        )
        return 1
    try:
        report = read_usage(engine, window, cast(GroupBy, args.group_by))
    finally:
        reader.close()
    document = usage_document(report)
    if args.json:
        print(json.dumps(document, indent=2))
        return 0
    if not report.ledger_ready:
        console.print(f"[bold]The ledger at {reader.location} has no tables yet[/bold]: tierd has not written to it.")
        return 1
    title = f"tierd usage {document['since']} -> {document['until']}"
    if not report.groups:
        console.print(f"{title}\nNo requests recorded in this window (ledger {reader.location}).")
        return 0
    console.print(_totals_table(document["totals"], title))
    console.print(_groups_table(document["groups"], args.group_by))
    return 0


def usd(value: float | None, digits: int = 6) -> str:
    if value is None:
        return "-"
    return f"{'-' if value < 0 else ''}${abs(value):,.{digits}f}"


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} ms"


def _totals_table(t: dict[str, Any], title: str) -> Table:
    table = Table(title=title, show_header=True, title_justify="left")
    table.add_column("KPI")
    table.add_column("value", justify="right")
    table.add_column("note")
    lat, ttft = t["latency_ms"], t["ttft_ms"]
    feedback = "-" if t["feedback_mean"] is None else f"{t['feedback_mean']:.2f}"
    for name, value, note in (
        ("requests", f"{t['requests']:,}", f"errors: {t['errors']:,} ({pct(t['error_rate'])})"),
        ("cost", usd(t["cost_usd"]), f"requests of unknown cost, not included: {t['unknown_cost_requests']:,}"),
        ("cost per request", usd(t["cost_per_request_usd"], 8), "over requests of known cost"),
        ("all-frontier cost", usd(t["frontier_cost_usd"]), "the frontier's list price for the same tokens"),
        ("savings", usd(t["savings_usd"]), f"{pct(t['savings_share'])} of the all-frontier cost"),
        ("routing coverage", pct(t["coverage"]), f"successful requests served locally: {t['local_requests']:,}"),
        ("escalation rate", pct(t["escalation_rate"]), f"requests escalated: {t['escalated_requests']:,}"),
        ("tokens", f"{t['prompt_tokens']:,} + {t['completion_tokens']:,}", "prompt + completion"),
        ("latency p50/p95/p99", " / ".join(ms(lat[k]) for k in ("p50", "p95", "p99")), "successful requests"),
        ("TTFT p50/p95", " / ".join(ms(ttft[k]) for k in ("p50", "p95")), "streamed requests"),
        ("feedback", feedback, f"mean of {t['feedback_count']:,} scores"),
    ):
        table.add_row(name, value, note)
    for tier, checks in t["checks"].items():
        if checks["checked"]:
            table.add_row(
                f"checks passed on {tier}", pct(checks["pass_rate"]), f"checked answers: {checks['checked']:,}"
            )
    return table


def _groups_table(groups: list[dict[str, Any]], group_by: str) -> Table:
    table = Table(title=f"by {group_by}", title_justify="left")
    table.add_column(group_by)
    for column in (
        "requests",
        "errors",
        "cost",
        "unknown cost",
        "cost/request",
        "savings",
        "coverage",
        "escalated",
        "p50",
        "p95",
    ):
        table.add_column(column, justify="right")
    for g in groups:
        label = g["key"] if g["key"] is not None else "(none)"
        if g.get("name"):
            label = f"{g['name']} ({label})"
        table.add_row(
            label,
            f"{g['requests']:,}",
            f"{g['errors']:,}",
            usd(g["cost_usd"]) if g["costed_requests"] else "-",
            f"{g['unknown_cost_requests']:,}",
            usd(g["cost_per_request_usd"], 8),
            usd(g["savings_usd"]),
            pct(g["coverage"]),
            pct(g["escalation_rate"]),
            ms(g["latency_ms"]["p50"]),
            ms(g["latency_ms"]["p95"]),
        )
    return table
