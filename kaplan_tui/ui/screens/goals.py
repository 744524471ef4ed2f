"""Goals: the goal tree by horizon, and an editor that lints the statement on every keystroke."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Label, Select, Tree
from textual.widgets.select import InvalidSelectValueError
from textual.widgets.tree import TreeNode

from kaplan_tui.core.lint import Diagnostic, LintContext, LintResult, fields_from_goal, lint
from kaplan_tui.core.lint.workspace import context_from_snapshot
from kaplan_tui.core.models import (
    Bilingual,
    Cadence,
    Goal,
    GoalStatus,
    GoalType,
    Horizon,
    Incentive,
    Metric,
    Person,
    Pillar,
    ScopeKind,
)
from kaplan_tui.core.planning.rollup import period_label
from kaplan_tui.core.snapshot import Snapshot
from kaplan_tui.core.text import clean_line
from kaplan_tui.storage import Change
from kaplan_tui.ui.screens.base import KaplanScreen
from kaplan_tui.ui.widgets.statement import LintHighlighter, Span, StatementInput
from kaplan_tui.ui.widgets.steady_text import SteadyText

PAUSE_SECONDS = 0.6
"""After this pause in typing, "something is missing" diagnostics appear too."""

CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")
MARK = {"pass": "✓", "warn": "!", "fail": "✗", "unknown": "?"}
STATUS_STYLE = {"pass": "bold green", "warn": "bold yellow", "fail": "bold red", "unknown": "dim"}
SPAN_STYLE = {"error": "underline red", "warning": "underline yellow", "info": "underline"}
DIAGNOSTIC_LINES = 6
"""Diagnostics listed under the strip (their region's height is fixed in app.tcss)."""
METRIC_FIELDS = (
    "metric_name",
    "unit",
    "currency",
    "baseline",
    "target",
    "stretch",
    "challenge",
    "start",
    "deadline",
)
"""Typed fields shown between the owner and the parent goal."""
NOTE_FIELDS = ("rationale", "assumptions", "support", "incentive", "base_award")
"""Typed fields shown last."""
TEXT_FIELDS = METRIC_FIELDS + NOTE_FIELDS
SELECT_FIELDS = (
    "type",
    "horizon",
    "scope",
    "scope_ref",
    "owner",
    "parent",
    "pillar",
    "cadence",
    "status",
)
"""The editor's fields chosen from a list (the others are typed)."""
NUMBER_FIELDS = {"baseline", "target", "stretch", "challenge", "base_award"}


@dataclass(frozen=True)
class LintView:
    """The lint of one statement text, and what of it the editor shows."""

    text: str
    paused: bool
    """Whether "something is missing" diagnostics are shown (typing has paused)."""
    result: LintResult
    shown: list[Diagnostic]
    spans: list[Span]


def _band(goal: Goal) -> str:
    """``long``, ``mid``, ``annual`` or ``quarter``: where the goal sits in the tree."""
    if goal.horizon != Horizon.SHORT:
        return goal.horizon.value
    if goal.start and goal.deadline and (goal.deadline - goal.start).days < 120:
        return "quarter"
    return "annual"


BAND_ORDER = {"long": 0, "mid": 1, "annual": 2, "quarter": 3}


class GoalsScreen(KaplanScreen):
    """The goal tree beside the goal editor."""

    MODE = "goals"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_goal", "keys.new_goal"),
        Binding("ctrl+s", "save", "keys.save", priority=True),
        Binding("ctrl+f", "apply_fix", "keys.apply_fix", priority=True),
        Binding("delete", "delete_goal", "keys.delete_goal"),
        Binding("ctrl+t", "focus_tree", "keys.tree", show=False),
        Binding("ctrl+e", "focus_statement", "keys.statement", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.current: Goal | None = None
        """The goal as stored when it was opened (None for a new goal)."""
        self.result: LintResult | None = None
        self.highlighter = LintHighlighter(self._spans_for)
        self.paused = True
        self._pause_timer: Timer | None = None
        self._context_fields: dict[str, Any] = {}
        self._draft_values: dict[str, Any] | None = None
        self._lint_context: LintContext | None = None
        self._view: LintView | None = None
        """The lint of the statement text seen last (typed, loaded or fixed)."""

    # --- layout -------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="goals-body"):
            tree: Tree[str] = Tree(self.t("ui.goals.tree_root"), id="goal-tree")
            tree.HELP_KEY = "ui.help.tree"  # type: ignore[attr-defined]
            tree.show_root = False
            yield tree
            with Vertical(id="editor"):
                statement = StatementInput(
                    placeholder=self.t("ui.goals.statement_hint"),
                    id="statement",
                    highlighter=self.highlighter,
                )
                statement.HELP_KEY = "ui.help.statement"  # type: ignore[attr-defined]
                yield statement
                yield SteadyText(id="smart")
                yield SteadyText(id="diagnostics")
                with VerticalScroll(id="fields", can_focus=False):
                    yield from self._field_rows()

    def _select(
        self, key: str, options: Iterable[tuple[str, str]], *, blank: bool = False
    ) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(self.t(f"ui.goals.f_{key}"))
            yield Select(list(options), id=f"f-{key}", allow_blank=blank, prompt="—")

    def _input(self, key: str) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(self.t(f"ui.goals.f_{key}"))
            yield Input(
                id=f"f-{key}",
                type="number" if key in NUMBER_FIELDS else "text",
                placeholder=self.t(f"ui.goals.p_{key}")
                if key in ("start", "deadline", "assumptions", "support")
                else "",
            )

    def _field_rows(self) -> ComposeResult:
        ws = self.workspace
        lang = self.lang
        yield from self._select(
            "type", ((self.t(f"ui.gtype.{g.value}"), g.value) for g in GoalType)
        )
        yield from self._select(
            "horizon", ((self.t(f"ui.horizon.{h.value}"), h.value) for h in Horizon)
        )
        yield from self._select(
            "scope", ((self.t(f"ui.scope.{s.value}"), s.value) for s in ScopeKind)
        )
        yield from self._select("scope_ref", [], blank=True)
        people = [(clean_line(p.display_name(lang)), p.id) for p in ws.all(Person)]
        yield from self._select("owner", people, blank=True)
        for key in METRIC_FIELDS:
            yield from self._input(key)
        goals = [(clean_line(g.statement)[:40], g.id) for g in ws.all(Goal)]
        yield from self._select("parent", goals, blank=True)
        pillars = [(clean_line(p.display_name(lang)), p.id) for p in ws.all(Pillar)]
        yield from self._select("pillar", pillars, blank=True)
        yield from self._select(
            "cadence", ((self.t(f"ui.cadence.{c.value}"), c.value) for c in Cadence)
        )
        yield from self._select(
            "status", ((self.t(f"ui.gstatus.{s.value}"), s.value) for s in GoalStatus)
        )
        for key in NOTE_FIELDS:
            yield from self._input(key)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#goal-tree", Tree).focus()
        # After a refresh: when the screen is opened from outside the message loop (a key
        # pressed while the workspace was loading), its Mount can come before every field row.
        self.call_after_refresh(self._open_first_goal)

    def _open_first_goal(self) -> None:
        tree: Tree[str] = self.query_one("#goal-tree", Tree)
        if self.current is None and self._draft_values is None and tree.root.children:
            first = self.workspace.get(Goal, tree.root.children[0].data or "")
            if first is not None:
                self.load_goal(first)

    # --- the tree -----------------------------------------------------------------------

    def refresh_view(self) -> None:
        self._fill_tree()
        if self._draft_values is not None:
            values, self._draft_values = self._draft_values, None
            self._set_form(values)
        elif self.current is not None:
            stored = self.workspace.get(Goal, self.current.id)
            if stored is not None and stored.rev != self.current.rev and not self._dirty():
                self.load_goal(stored)
        else:
            self._relint()

    def _fill_tree(self) -> None:
        tree: Tree[str] = self.query_one("#goal-tree", Tree)
        snap = self.workspace.snapshot()
        tree.clear()
        goals = snap.goals
        children = snap.children
        roots = [g for g in goals.values() if not g.parent or g.parent not in goals]
        roots.sort(key=lambda g: (BAND_ORDER[_band(g)], g.deadline or dt.date.max, g.id))

        def add(node: TreeNode[str], goal: Goal, depth: int) -> None:
            label = self._label(goal)
            kids = children.get(goal.id, [])
            if kids and depth < 8:
                branch = node.add(label, data=goal.id, expand=depth < 2)
                for kid in sorted(kids, key=lambda g: (BAND_ORDER[_band(g)], g.id)):
                    add(branch, kid, depth + 1)
            else:
                node.add_leaf(label, data=goal.id)

        for goal in roots:
            add(tree.root, goal, 0)

    def _label(self, goal: Goal) -> Text:
        band = _band(goal)
        label = Text()
        label.append(self.t(f"ui.band.{band}") + " ", style="bold")
        period = period_label(goal)
        if period:
            label.append(period + " ", style="dim")
        label.append(clean_line(goal.statement)[:60])
        return label

    @on(Tree.NodeSelected, "#goal-tree")
    def _selected(self, event: Tree.NodeSelected[str]) -> None:
        goal = self.workspace.get(Goal, event.node.data or "")
        if goal is not None:
            self.load_goal(goal)
            self.query_one("#statement", Input).focus()

    @on(Tree.NodeHighlighted, "#goal-tree")
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        goal = self.workspace.get(Goal, event.node.data or "")
        if goal is not None and not self._dirty():
            self.load_goal(goal)

    def focus_record(self, record_id: str) -> None:
        goal = self.workspace.get(Goal, record_id)
        if goal is None:
            return
        self.load_goal(goal)
        tree: Tree[str] = self.query_one("#goal-tree", Tree)

        def find(node: TreeNode[str]) -> TreeNode[str] | None:
            if node.data == record_id:
                return node
            for child in node.children:
                found = find(child)
                if found is not None:
                    return found
            return None

        node = find(tree.root)
        if node is not None:
            parent = node.parent
            while parent is not None:
                parent.expand()
                parent = parent.parent
            tree.move_cursor(node)
        self.query_one("#statement", Input).focus()

    # --- the form -----------------------------------------------------------------------

    def load_goal(self, goal: Goal | None) -> None:
        """Fill the editor with ``goal`` (None: an empty new goal)."""
        self.current = goal
        g = goal or Goal(
            statement="-",
            start=dt.date(self.kaplan.today.year, 1, 1),
            deadline=dt.date(self.kaplan.today.year, 12, 31),
        )
        m = g.metric
        inc = g.incentive
        values: dict[str, Any] = {
            "statement": goal.statement if goal else "",
            "type": g.type.value,
            "horizon": g.horizon.value,
            "scope": g.scope.value,
            "scope_ref": g.scope_ref,
            "owner": g.owner,
            "parent": g.parent,
            "pillar": g.pillar,
            "cadence": g.review_cadence.value,
            "status": g.status.value,
            "metric_name": m.name if m else "",
            "unit": m.unit if m else "",
            "currency": (m.currency or "") if m else "",
            "baseline": m.baseline if m else None,
            "target": m.target if m else None,
            "stretch": m.stretch if m else None,
            "challenge": m.challenge if m else None,
            "start": g.start.isoformat() if g.start else "",
            "deadline": g.deadline.isoformat() if g.deadline else "",
            "rationale": g.rationale,
            "assumptions": "; ".join(g.assumptions),
            "support": "; ".join(g.support),
            "incentive": inc.description if inc else "",
            "base_award": inc.base_award if inc else None,
        }
        self._set_form(values)

    def _set_form(self, values: dict[str, Any]) -> None:
        # Filling the form is not typing: the widgets' Changed messages are not posted, so
        # loading a goal neither restarts the pause timer nor re-lints once per field.
        with self.prevent(Input.Changed, Select.Changed):
            self.query_one("#statement", Input).value = values.get("statement", "")
            self._fill_scope_refs(values.get("scope", "team"))
            for key in SELECT_FIELDS:
                select = self.query_one(f"#f-{key}", Select)
                value = values.get(key)
                try:
                    select.value = value if value is not None else Select.NULL
                except InvalidSelectValueError:  # an id no longer offered (deleted record)
                    select.value = Select.NULL
            for key in TEXT_FIELDS:
                value = values.get(key)
                self.query_one(f"#f-{key}", Input).value = (
                    ""
                    if value is None
                    else (f"{value:g}" if isinstance(value, float) else str(value))
                )
        self.paused = True
        self._refresh_context()
        self._relint()

    def _form_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {"statement": self.query_one("#statement", Input).value}
        for key in SELECT_FIELDS:
            value = self.query_one(f"#f-{key}", Select).value
            values[key] = value if isinstance(value, str) else None
        for key in TEXT_FIELDS:
            values[key] = self.query_one(f"#f-{key}", Input).value.strip()
        return values

    def remember_state(self) -> None:
        self._draft_values = self._form_values()

    def _fill_scope_refs(self, scope: str) -> None:
        ws, lang = self.workspace, self.lang
        from kaplan_tui.core.models import RECORD_TYPES

        options = [
            (clean_line(r.display_name(lang)), r.id)
            for r in ws.all(RECORD_TYPES[scope])
            if isinstance(r, Bilingual)
        ]
        self.query_one("#f-scope_ref", Select).set_options(options)

    def draft(self) -> Goal:
        """The goal as the form has it now.

        Raises:
            ValidationError: a field is not valid; its name is in the error.
            ValueError: a date or number does not parse.
        """
        v = self._form_values()

        def num(key: str) -> float | None:
            return float(v[key]) if v[key] else None

        def day(key: str) -> dt.date | None:
            return dt.date.fromisoformat(v[key]) if v[key] else None

        metric = None
        if v["metric_name"] or v["target"]:
            metric = Metric(
                name=v["metric_name"] or "-",
                unit=v["unit"],
                currency=v["currency"].upper() or None,
                baseline=num("baseline"),
                target=num("target"),
                stretch=num("stretch"),
                challenge=num("challenge"),
            )
        incentive = None
        if v["incentive"] or v["base_award"]:
            incentive = Incentive(description=v["incentive"], base_award=num("base_award"))
        base = self.current
        return Goal(
            id=base.id if base else "",
            rev=base.rev if base else 0,
            statement=v["statement"] or "-",
            type=GoalType(v["type"] or "custom"),
            horizon=Horizon(v["horizon"] or "short"),
            scope=ScopeKind(v["scope"] or "team"),
            scope_ref=v["scope_ref"],
            owner=v["owner"],
            parent=v["parent"],
            pillar=v["pillar"],
            metric=metric,
            start=day("start"),
            deadline=day("deadline"),
            rationale=v["rationale"],
            assumptions=[a.strip() for a in v["assumptions"].split(";") if a.strip()],
            resources=base.resources if base else [],
            support=[a.strip() for a in v["support"].split(";") if a.strip()],
            incentive=incentive,
            review_cadence=Cadence(v["cadence"] or "monthly"),
            status=GoalStatus(v["status"] or "active"),
        )

    def _dirty(self) -> bool:
        if self.current is None:
            return bool(self.query_one("#statement", Input).value.strip())
        try:
            return self.draft().model_dump(
                exclude={"created_at", "created_by", "updated_at", "updated_by"}
            ) != self.current.model_dump(
                exclude={"created_at", "created_by", "updated_at", "updated_by"}
            )
        except (ValidationError, ValueError):
            return True

    # --- live lint ----------------------------------------------------------------------

    @on(Input.Changed, "#statement")
    def _statement_changed(self) -> None:
        self.paused = False
        if self._pause_timer is not None:
            self._pause_timer.stop()
        self._pause_timer = self.set_timer(PAUSE_SECONDS, self._pause)
        self._relint()

    def _pause(self) -> None:
        self.paused = True
        self._relint()

    @on(Select.Changed)
    @on(Input.Changed, ".field Input")
    def _field_changed(self, event: Select.Changed | Input.Changed) -> None:
        if isinstance(event, Select.Changed) and event.select.id == "f-scope":
            scope = event.value if isinstance(event.value, str) else "team"
            self._fill_scope_refs(scope)
        self._refresh_context()
        self._relint()

    def _refresh_context(self) -> None:
        """Workspace context for the lint (history, territory, pillar): only on field edits."""
        self._view = None  # the same text may lint differently now
        try:
            goal = self.draft()
        except (ValidationError, ValueError):
            return
        snap: Snapshot = self.workspace.snapshot()
        self._context_fields = fields_from_goal(goal, snap, today=self.kaplan.today)
        self._lint_context = context_from_snapshot(snap)

    def action_lint_now(self) -> None:
        self.paused = True
        self._refresh_context()
        self._relint()

    def _lint_view(self, text: str, paused: bool) -> LintView:
        """The lint of ``text`` (the last one again if nothing changed)."""
        view = self._view
        if view is not None and view.text == text and view.paused == paused:
            return view
        result = lint(
            text,
            self._context_fields,
            lang=self.lang,
            today=self.kaplan.today,
            context=self._lint_context,
        )
        shown = [d for d in result.diagnostics if (paused or d.kind != "missing") and text.strip()]
        spans = [(d.start, d.end, SPAN_STYLE[d.severity]) for d in shown if d.end > d.start]
        self._view = LintView(text, paused, result, shown, spans)
        return self._view

    def _spans_for(self, text: str) -> list[Span]:
        """The marks for the statement box, asked for when it draws ``text``."""
        view = self._view
        if view is None or view.text != text:
            # A text the lint has not seen is being typed: its Changed message is on its way.
            view = self._lint_view(text, paused=False)
        return view.spans

    def _relint(self) -> None:
        """Show the lint of the statement: marks, the S·M·A·R·T strip, the diagnostics."""
        statement = self.query_one("#statement", StatementInput)
        text = statement.value
        view = self._lint_view(text, self.paused)
        self.result = view.result
        if view.spans != list(self.highlighter.spans):
            statement.repaint_text_row()  # marks changed without the text (pause, fields)
        self.query_one("#smart", SteadyText).show(self._strip(view))
        self.query_one("#diagnostics", SteadyText).show(self._diagnostic_lines(view))

    def _strip(self, view: LintView) -> Text:
        strip = Text(no_wrap=True, overflow="ellipsis")
        for criterion in CRITERIA:
            status = view.result.criteria[criterion]  # type: ignore[index]
            if (
                not view.paused
                and status == "fail"
                and not any(d.criterion == criterion and d.kind == "text" for d in view.shown)
            ):
                status = "unknown"  # a half-typed goal does not flash red
            strip.append(f" {criterion[0].upper()} {MARK[status]} ", style=STATUS_STYLE[status])
        strip.append(f"  {view.result.score}/100", style="bold")
        if self.current is None:
            strip.append("  " + self.t("ui.goals.new"), style="italic")
        return strip

    def _diagnostic_lines(self, view: LintView) -> Text:
        if not view.text.strip():
            return Text(self.t("ui.goals.empty_hint"), style="dim")
        if not view.shown:
            return Text(self.t("ui.goals.no_problems"), style="dim")
        lines = Text()
        for d in view.shown[:DIAGNOSTIC_LINES]:
            if lines:
                lines.append("\n")
            lines.append(f"{d.rule} ", style="bold" if d.severity == "error" else "dim")
            lines.append(clean_line(d.message))
            if d.fix is not None:
                lines.append(f"  ⟶ {clean_line(d.fix.replacement)}", style="green")
        return lines

    # --- actions ------------------------------------------------------------------------

    def action_new_goal(self) -> None:
        self.load_goal(None)
        self.query_one("#statement", Input).focus()

    def action_focus_tree(self) -> None:
        self.query_one("#goal-tree", Tree).focus()

    def action_focus_statement(self) -> None:
        self.query_one("#statement", Input).focus()

    def action_apply_fix(self) -> None:
        if self.result is None:
            return
        fix = next((d.fix for d in self.result.diagnostics if d.fix is not None), None)
        if fix is None:
            self.notify(self.t("ui.goals.no_fix"))
            return
        box = self.query_one("#statement", Input)
        box.value = fix.apply(box.value)
        box.cursor_position = len(box.value)
        self.paused = True
        self._relint()

    def action_delete_goal(self) -> None:
        """Delete the open goal after asking; goals with children or check-ins are kept."""
        from kaplan_tui.ui.screens.forms import ConfirmScreen

        goal = self.current
        if goal is None:
            self.app.bell()
            return
        snap = self.workspace.snapshot()
        if snap.children.get(goal.id) or snap.checkins_by_goal.ids(goal.id):
            self.notify(self.t("ui.goals.cannot_delete"), severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.kaplan.save(
                    [Change("delete", goal)],
                    base=goal,
                    label=clean_line(goal.statement)[:30],
                    then=lambda _s: self._deleted(),
                )

        self.app.push_screen(
            ConfirmScreen(
                self.t("ui.goals.confirm_delete", goal=clean_line(goal.statement)[:80]), self.lang
            ),
            answered,
        )

    def _deleted(self) -> None:
        self.notify(self.t("ui.goals.deleted"))
        self.load_goal(None)
        self._fill_tree()

    def action_save(self) -> None:
        try:
            goal = self.draft()
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            self.notify(
                f"{where}: {first['msg']}",
                title=self.t("ui.app.save_failed"),
                severity="error",
                markup=False,
            )
            return
        except ValueError as exc:
            self.notify(
                str(exc), title=self.t("ui.app.save_failed"), severity="error", markup=False
            )
            return
        if not self.query_one("#statement", Input).value.strip():
            self.notify(self.t("ui.goals.need_statement"), severity="error")
            return
        base = self.current

        def saved(stored: list[Any]) -> None:
            goal_saved = stored[0]
            if isinstance(goal_saved, Goal):
                self.current = goal_saved
                self.notify(self.t("ui.goals.saved"))
                self._fill_tree()

        self.kaplan.save(
            [Change("update" if base else "create", goal)],
            base=base,
            label=clean_line(goal.statement)[:30],
            then=saved,
        )
