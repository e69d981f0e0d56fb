"""The review a record goes through before the public sees it: draft, in review, published, and back.

A model takes part by inheriting `ReviewWorkflow`, giving itself a `status` field with the
`ReviewStatus` choices and, if publishing needs more than the status, a `publication_problems()`
method listing what is still missing. Every step checks where the record is, who asks, and what
the step needs (a complete record, a reason), then moves the record and keeps why in its history
(django-simple-history). Anything it refuses raises `WorkflowError` with a message that names the
record and the reason, so the admin page, its bulk actions and any command say the same thing.
"""

import unicodedata
from dataclasses import dataclass

from django.db import models


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


@dataclass(frozen=True)
class Step:
    """One move along the workflow."""

    name: str  # the method taking it, e.g. "return_to_draft"
    label: str  # its button, e.g. "Return to draft"
    done: str  # how the record ends up, e.g. "returned to draft"
    history: str  # the reason kept in the history, e.g. "Returned to draft"
    sources: tuple  # the statuses it may start from
    target: str  # the status it leads to
    permission: str  # the model permission it needs: "change" or "publish" (studies.publish_study)
    reason_prompt: str = ""  # when set, the step needs a reason in plain text, asked for with these words
    checks_completeness: bool = False  # refused while publication_problems() lists anything
    primary: bool = False  # the step a reviewer is expected to take, shown as the main button

    @property
    def slug(self):
        """The step's name in an address: /workflow/return-to-draft/."""
        return self.name.replace("_", "-")

    @property
    def needs_reason(self):
        return bool(self.reason_prompt)


REVIEW_STEPS = (
    Step(
        name="submit",
        label="Submit for review",
        done="submitted for review",
        history="Submitted for review",
        sources=(ReviewStatus.DRAFT,),
        target=ReviewStatus.IN_REVIEW,
        permission="change",
        primary=True,
    ),
    Step(
        name="return_to_draft",
        label="Return to draft",
        done="returned to draft",
        history="Returned to draft",
        sources=(ReviewStatus.IN_REVIEW,),
        target=ReviewStatus.DRAFT,
        permission="change",
    ),
    Step(
        name="publish",
        label="Publish",
        done="published",
        history="Published",
        sources=(ReviewStatus.IN_REVIEW,),
        target=ReviewStatus.PUBLISHED,
        permission="publish",
        checks_completeness=True,
        primary=True,
    ),
    Step(
        name="unpublish",
        label="Unpublish",
        done="unpublished",
        history="Unpublished",
        sources=(ReviewStatus.PUBLISHED,),
        target=ReviewStatus.IN_REVIEW,
        permission="publish",
        reason_prompt="Reason for unpublishing",
    ),
)

# The history keeps at most 100 characters of reason, "Unpublished: " included; the admin's
# reason field allows this many, so what a curator types is kept whole.
REASON_MAX_LENGTH = 80


class WorkflowError(Exception):
    """A step that may not be taken now. The message names the record, the step and why."""

    def __init__(self, record, step, why, *, permission_denied=False):
        self.record = record
        self.step = step
        self.why = why
        # Set when the person asking may never take this step, as opposed to not now.
        self.permission_denied = permission_denied
        super().__init__(f"'{record}' was not {step.done}: {why}")


def reason_problem(reason):
    """Why a reason cannot be kept in the history as given (empty when it can)."""
    if any(unicodedata.category(character) == "Cc" for character in reason):
        return "the reason must be plain text on one line"
    if len(reason) > REASON_MAX_LENGTH:
        return f"the reason is {len(reason)} characters long; keep it to {REASON_MAX_LENGTH}"
    return ""


def describe_status(status, records):
    """'draft studies', 'studies in review', 'published studies'."""
    if status == ReviewStatus.IN_REVIEW:
        return f"{records} in review"
    return f"{ReviewStatus(status).label.lower()} {records}"


class ReviewWorkflow:
    """Submit, return to draft, publish and unpublish, for a model with a ReviewStatus `status` field."""

    workflow_steps = REVIEW_STEPS

    def publication_problems(self):
        """What must be filled in before the public may see this record; models add their rules."""
        return []

    @property
    def is_public(self):
        return self.status == ReviewStatus.PUBLISHED

    @classmethod
    def workflow_step(cls, name):
        """The step called `name` (or its address form, 'return-to-draft'); None when there is none."""
        return next((step for step in cls.workflow_steps if name in (step.name, step.slug)), None)

    def step_permission(self, step):
        return f"{self._meta.app_label}.{step.permission}_{self._meta.model_name}"

    def may_take(self, user, step):
        """Whether `user` holds the permission `step` needs (wherever the record is now)."""
        return user.has_perm(self.step_permission(step))

    def available_steps(self, user):
        """The steps `user` may take from the record's current status, in workflow order.

        Publishing is offered even while the record is incomplete; taking it then is refused with
        what is missing, and `publication_problems()` says so beforehand.
        """
        return [step for step in self.workflow_steps if self.status in step.sources and self.may_take(user, step)]

    def take_step(self, name, user, reason=""):
        """Take the step called `name` for `user`, or raise WorkflowError saying why not."""
        step = self.workflow_step(name)
        if step is None:
            raise ValueError(f"There is no workflow step called {name!r}.")
        if not self.may_take(user, step):
            records = self._meta.verbose_name_plural
            raise WorkflowError(
                self,
                step,
                f"{user} does not have the permission to {step.permission} {records}",
                permission_denied=True,
            )
        if self.status not in step.sources:
            allowed = " or ".join(describe_status(status, self._meta.verbose_name_plural) for status in step.sources)
            current = ReviewStatus(self.status).label.lower()
            raise WorkflowError(self, step, f"it is {current}; only {allowed} can be {step.done}")
        reason = reason.strip()
        if step.needs_reason and not reason:
            raise WorkflowError(
                self, step, f"give a reason in plain text; it stays {self.get_status_display().lower()}"
            )
        if problem := reason_problem(reason):
            raise WorkflowError(self, step, f"{problem}; it stays {self.get_status_display().lower()}")
        if step.checks_completeness and (problems := self.publication_problems()):
            raise WorkflowError(self, step, " ".join(problems))
        self.status = step.target
        self._change_reason = f"{step.history}: {reason}" if reason else step.history
        # Kept in the history as who took the step, also when no web request is involved.
        self._history_user = user
        self.save()

    def submit(self, user, reason=""):
        """Send a draft to review."""
        self.take_step("submit", user, reason)

    def return_to_draft(self, user, reason=""):
        """Send a record in review back to its curators."""
        self.take_step("return_to_draft", user, reason)

    def publish(self, user, reason=""):
        """Show a complete record in review to the public."""
        self.take_step("publish", user, reason)

    def unpublish(self, user, reason):
        """Take a published record off the public site, saying why."""
        self.take_step("unpublish", user, reason)
