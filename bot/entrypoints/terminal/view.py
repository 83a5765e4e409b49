"""How a reply looks in a terminal (rich): questions with their choices, the full recommendation."""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel

from bot.interview.replies import Decision, Notice, Questions, Reply
from bot.presentation.labels import fact_value, field_label
from bot.presentation.report import render_markdown


def render_reply(console: Console, reply: Reply) -> None:
    for notice in reply.notices:
        console.print(f"Note: {notice}", style="yellow")
    if isinstance(reply, Questions):
        understood = {k: v for k, v in reply.understood.items() if k != "use_case"}
        if understood:
            got = "; ".join(
                f"{field_label(k)}: {fact_value(k, v)}"
                + (" (inferred)" if k in reply.inferred else "")
                for k, v in understood.items()
            )
            console.print(f"Got it: {got}", style="dim", markup=False)
        still = "still open, " if reply.continued else ""
        console.print(f"[bold]Questions ({still}round {reply.round} of {reply.max_rounds})[/]")
        for number, question in enumerate(reply.questions, start=1):
            console.print(f" {number}. {question.text}", markup=False)
            if question.choices:
                options = " / ".join(choice.label for choice in question.choices)
                console.print(f"    [dim]{options}[/]")
        console.print("[dim]Answer in your own words, or say `decide now`.[/]")
    elif isinstance(reply, Decision):
        console.print(Panel(Markdown(render_markdown(reply.requirements, reply.recommendation))))
        console.print(
            '[dim]Tell me what changes ("what if 5M requests a month?"), or `start over`.[/]'
        )
    elif isinstance(reply, Notice):
        console.print(reply.text, markup=False)
