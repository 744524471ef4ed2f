"""Reviews: each goal's target trajectory against its check-ins, projection, status, agenda."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from kaplan_tui.core.models import CheckIn, Goal, GoalStatus, Person
from kaplan_tui.core.planning.review import Progress, agenda, progress, trajectory
from kaplan_tui.core.text import clean_line
from kaplan_tui.storage import Change
from kaplan_tui.ui.format import MONEY, money, number, plain
from kaplan_tui.ui.screens.base import KaplanScreen
from kaplan_tui.ui.screens.checkin_form import CheckInForm
from kaplan_tui.ui.widgets.timeline import TimelineChart, TimelineData
from kaplan_tui.ui.widgets.virtual_table import Column, Row, VirtualTable, cell

STATUS_STYLE = {
    "on_track": "bold green",
    "at_risk": "bold yellow",
    "off_track": "bold red",
    "unknown": "dim",
}


class ReviewsScreen(KaplanScreen):
    """Pick a goal; see where it stands and record a check-in."""

    MODE = "reviews"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "checkin", "keys.checkin"),
        Binding("g", "agenda", "keys.agenda"),
        Binding("e", "edit_goal", "keys.edit_goal"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_agenda = False
        self.progress_by_goal: dict[str, Progress] = {}

    def compose_body(self) -> ComposeResult:
        with Vertical(id="rev-body"):
            table = VirtualTable(id="rev-goals")
            table.HELP_KEY = "ui.help.reviews"  # type: ignore[attr-defined]
            yield table
            with VerticalScroll(id="rev-detail"):
                yield Static(id="rev-chart")
                yield Static(id="rev-notes")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#rev-goals", VirtualTable).focus()

    def refresh_view(self) -> None:
        snap = self.workspace.snapshot()
        goals = [
            g
            for g in snap.goals.values()
            if g.metric is not None
            and g.metric.target is not None
            and g.status in (GoalStatus.ACTIVE, GoalStatus.ACHIEVED, GoalStatus.MISSED)
        ]
        self.progress_by_goal = {g.id: progress(g, snap, self.kaplan.today) for g in goals}
        order = {"off_track": 0, "at_risk": 1, "on_track": 2, "unknown": 3}
        goals.sort(
            key=lambda g: (
                order[self.progress_by_goal[g.id].status],
                g.deadline or dt.date.max,
                g.id,
            )
        )
        lang = self.lang
        width = self.size.width or 80
        rows = []
        for goal in goals:
            p = self.progress_by_goal[goal.id]
            owner = snap.people.get(goal.owner or "")
            rows.append(
                Row(
                    goal.id,
                    (
                        cell(goal.statement),
                        cell(owner.display_name(lang) if isinstance(owner, Person) else ""),
                        Text(self.t(f"ui.status.{p.status}"), style=STATUS_STYLE[p.status]),
                        Text("-" if p.attainment is None else f"{p.attainment:.0%}"),
                        Text(str(p.actual_date or "-")),
                    ),
                )
            )
        table = self.query_one("#rev-goals", VirtualTable)
        table.set_data(
            [
                Column("goal", self.t("ui.rev.col_goal"), max(16, width - 48)),
                Column("owner", self.t("ui.rev.col_owner"), 8),
                Column("status", self.t("ui.rev.col_status"), 9),
                Column("attain", self.t("ui.rev.col_attainment"), 8, "right"),
                Column("last", self.t("ui.rev.col_last"), 10),
            ],
            rows,
            keep_key=table.cursor_key,
        )
        self._show(table.cursor_key)

    @on(VirtualTable.Highlighted, "#rev-goals")
    def _highlighted(self, event: VirtualTable.Highlighted) -> None:
        if not self.show_agenda:
            self._show(event.key)

    def _show(self, goal_id: str | None) -> None:
        chart, notes = self.query_one("#rev-chart", Static), self.query_one("#rev-notes", Static)
        if self.show_agenda:
            chart.update(self._agenda())
            notes.update("")
            return
        goal = self.workspace.get(Goal, goal_id or "")
        if goal is None:
            chart.update(self.t("ui.rev.empty"))
            notes.update("")
            return
        snap = self.workspace.snapshot()
        p = self.progress_by_goal.get(goal.id) or progress(goal, snap, self.kaplan.today)
        chart.update(Group(self._summary(goal, p), self._chart(goal, p)))
        notes.update(self._notes(goal))

    def _summary(self, goal: Goal, p: Progress) -> Text:
        unit = goal.metric.unit if goal.metric else ""
        lang = self.lang
        line = Text()
        line.append(clean_line(goal.statement)[:120] + "\n", style="bold")
        line.append(self.t(f"ui.status.{p.status}"), style=STATUS_STYLE[p.status])
        line.append(
            "  "
            + self.t(
                "ui.rev.summary",
                actual=number(p.actual, unit, lang),
                expected=number(p.expected, unit, lang),
                variance=number(p.variance, unit, lang),
                projection=number(p.projection, unit, lang),
                target=number(p.target, unit, lang),
                deadline=p.deadline or "-",
                method=self.t(f"ui.rev.method_{p.method or 'none'}"),
            )
        )
        return line

    def _chart(self, goal: Goal, p: Progress) -> TimelineChart | Text:
        snap = self.workspace.snapshot()
        traj = trajectory(goal, snap)
        if traj is None or p.target is None:
            return Text(self.t("ui.rev.no_chart"), style="dim")
        start_value, target = p.start_value, p.target

        def expected(day: dt.date) -> float | None:
            if start_value is None:
                return None
            return start_value + (target - start_value) * traj.fraction(day)

        unit = goal.metric.unit if goal.metric else ""
        actuals = [(c.date, c.actual) for c in snap.points(goal.id) if c.date <= self.kaplan.today]
        height = 7 if (self.size.height or 24) < 30 else 12
        return TimelineChart(
            TimelineData(
                start=traj.start,
                deadline=traj.deadline,
                expected=expected,
                actuals=actuals,
                projection=p.projection,
                target=target,
                label=lambda v: (money(v, self.lang) if unit.upper() in MONEY else plain(v))[:8],
                styles={
                    "target": "dim",
                    "actual": "bold cyan",
                    "projection": STATUS_STYLE[p.status],
                    "axis": "dim",
                },
            ),
            height=height,
        )

    def _notes(self, goal: Goal) -> Text:
        checkins = self.workspace.snapshot().checkins_by_goal.get(goal.id, [])
        out = Text()
        if not checkins:
            out.append(self.t("ui.rev.no_checkins"), style="dim")
            return out
        last = checkins[-1]
        out.append(
            self.t("ui.rev.last_checkin", date=last.date, confidence=f"{last.confidence:.0%}")
            + "\n",
            style="bold",
        )
        for key, value in (
            ("progress", last.progress),
            ("plans", last.plans),
            ("problems", last.problems),
        ):
            if value:
                out.append(self.t(f"ui.checkin.{key}") + ": ", style="bold")
                out.append(clean_line(value) + "\n")
        for action in last.actions:
            mark = "☑" if action.done else "☐"
            out.append(f"{mark} {clean_line(action.text)}")
            if action.due:
                out.append(f"  ({action.due})", style="dim")
            out.append("\n")
        return out

    def _agenda(self) -> Text:
        snap = self.workspace.snapshot()
        ag = agenda(snap, self.kaplan.today)
        lang = self.lang
        out = Text()
        out.append(self.t("ui.rev.agenda_title", date=self.kaplan.today) + "\n", style="bold")
        for title, items in (("overdue", ag.overdue), ("due", ag.due)):
            out.append(self.t(f"ui.rev.agenda_{title}", count=len(items)) + "\n", style="bold")
            for item in items[:8]:
                goal = snap.goals.get(item.goal_id)
                out.append(f"  {item.date}  ")
                out.append(clean_line(goal.statement if goal else item.goal_id)[:60] + "\n")
        out.append(self.t("ui.rev.agenda_risk", count=len(ag.at_risk)) + "\n", style="bold")
        for p in ag.at_risk[:8]:
            goal = snap.goals.get(p.goal_id)
            unit = goal.metric.unit if goal and goal.metric else ""
            out.append("  ")
            out.append(self.t(f"ui.status.{p.status}"), style=STATUS_STYLE[p.status])
            out.append(
                f" {clean_line(goal.statement if goal else p.goal_id)[:50]} → "
                f"{number(p.projection, unit, lang)} / {number(p.target, unit, lang)}\n"
            )
        return out

    def action_agenda(self) -> None:
        self.show_agenda = not self.show_agenda
        self._show(self.query_one("#rev-goals", VirtualTable).cursor_key)

    def action_edit_goal(self) -> None:
        key = self.query_one("#rev-goals", VirtualTable).cursor_key
        if key:
            self.kaplan.go_to_goal(key)

    def focus_record(self, record_id: str) -> None:
        table = self.query_one("#rev-goals", VirtualTable)
        table.move_to(next((i for i, r in enumerate(table.rows) if r.key == record_id), 0))

    def action_checkin(self) -> None:
        goal = self.workspace.get(Goal, self.query_one("#rev-goals", VirtualTable).cursor_key or "")
        if goal is None:
            self.app.bell()
            return
        people = [(p.display_name(self.lang), p.id) for p in self.workspace.all(Person)]

        def done(checkin: CheckIn | None) -> None:
            if checkin is not None:
                self.kaplan.save(
                    [Change("create", checkin)],
                    label=self.t("ui.checkin.label", date=checkin.date),
                    then=lambda _s: self.notify(self.t("ui.checkin.saved")),
                )

        self.app.push_screen(CheckInForm(goal, people, self.kaplan.today, self.lang), done)
