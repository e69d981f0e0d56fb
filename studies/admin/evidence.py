"""Curation of appraisals and outcome summaries, with the review workflow and reasons studies have.

An appraisal's domains are laid out as rows once its tool is saved, so a curator picks judgements
and never types a domain's code. An outcome summary shows the studies its rule picks and what they
add up to, both computed, next to the five GRADE domains a curator judges.
"""

from functools import cached_property

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from studies.admin.base import CurationAdmin, KeyAutocomplete, is_key
from studies.admin.forms import ReasonedSaveMixin, ReasonForm
from studies.admin.workflow import WorkflowAdmin
from studies.models import (
    TOOLS,
    Appraisal,
    AppraisalJudgement,
    Judgement,
    OutcomeMeasure,
    OutcomeSummary,
    Source,
    Study,
    counts_for,
    proposed_tool,
)
from studies.models.appraisal import OVERALL
from studies.models.evidence import ADVERSE_EVENTS, DOMAINS

EMPTY_CHOICE = ("", "---------")


class OfferedChoiceField(forms.ChoiceField):
    """A select offering only the choices that fit (a tool's scale, its domains) that still lets any
    `accepted` value through to the model, whose message names the tool and its scale; Django's own
    "not one of the available choices" would leave the curator guessing."""

    def __init__(self, *, accepted, **kwargs):
        super().__init__(**kwargs)
        self.accepted = accepted

    def valid_value(self, value):
        return self.accepted is None or value in self.accepted


class ShownAsText(forms.Widget):
    """A value fixed on this row, shown as words rather than as a greyed-out input."""

    def __init__(self, text):
        super().__init__()
        self.text = text

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<span class="fixed-value">{}</span>', self.text)


def scale_choices(tool):
    return [(answer, Judgement(answer).label) for answer in tool.answers]


def domain_choices(tool):
    extra = [(OVERALL, "Overall")] if tool.has_overall else []
    return [EMPTY_CHOICE, *((domain.code, domain.name) for domain in tool.domains), *extra]


# Appraisals


class JudgementForm(forms.ModelForm):
    """One judgement row. A row laid out for the whole study keeps its domain; a row a curator adds
    judges one domain (or the overall) differently for one outcome measure."""

    class Meta:
        model = AppraisalJudgement
        fields = ["domain", "outcome", "judgement", "support", "source"]
        widgets = {"support": forms.Textarea(attrs={"rows": 2, "cols": 48})}

    def __init__(self, *args, appraisal, choices, **kwargs):
        super().__init__(*args, **kwargs)
        tool = appraisal.tool_definition
        self.laid_out = bool(self.instance.pk) and self.instance.outcome_id is None
        domain = tool.domain(self.instance.domain) if self.laid_out else None
        self.fields["domain"] = OfferedChoiceField(
            choices=domain_choices(tool),
            accepted=None,
            help_text="For an outcome's own judgement: the domain, or 'Overall'.",
        )
        self.fields["judgement"] = OfferedChoiceField(
            choices=[EMPTY_CHOICE, *scale_choices(tool)],
            accepted=Judgement.values,
            help_text=f"On the scale of {tool.short_name}.",
        )
        outcome, source = self.fields["outcome"], self.fields["source"]
        outcome.queryset = OutcomeMeasure.objects.filter(study_id=appraisal.study_id)
        outcome.choices = choices["outcome"]
        outcome.empty_label = "Whole study"
        source.queryset = Source.objects.filter(study_id=appraisal.study_id)
        source.choices = choices["source"]
        if self.laid_out:
            for name, text in (("domain", domain.name if domain else self.instance.domain), ("outcome", "Whole study")):
                self.fields[name].disabled = True
                self.fields[name].widget = ShownAsText(text)
                self.fields[name].help_text = ""

    def clean(self):
        cleaned_data = super().clean()
        if not self.laid_out and cleaned_data.get("domain") and not cleaned_data.get("outcome"):
            self.add_error(
                "outcome",
                "Choose the outcome measure this judgement is for; the whole study's domains are the rows laid "
                "out above.",
            )
        return cleaned_data


class JudgementFormSet(BaseInlineFormSet):
    """The rows of one appraisal, checked together: no overall judgement may be better than its domains."""

    @property
    def note(self):
        tool = self.instance.tool_definition
        if not tool.domains:
            return f"{tool.name} has no domains to judge."
        return (
            f"One row per domain of {tool.short_name}, for the whole study; 'not assessed' until someone reads the "
            "source. To judge a domain (or the overall) differently for one outcome measure, add a row and choose "
            "the outcome."
        )

    @cached_property
    def shared_choices(self):
        """The study's outcome measures and sources, read once for every row's selects."""
        study_id = self.instance.study_id
        measures = forms.ModelChoiceField(OutcomeMeasure.objects.filter(study_id=study_id), empty_label="Whole study")
        sources = forms.ModelChoiceField(Source.objects.filter(study_id=study_id).order_by("position", "id"))
        return {"outcome": list(measures.choices), "source": list(sources.choices)}

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "appraisal": self.instance, "choices": self.shared_choices}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # A whole-study domain stays: "not assessed" is how to say nothing was judged.
        if form.laid_out and DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].disabled = True

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            (form.cleaned_data.get("outcome"), form.cleaned_data["domain"], form.cleaned_data["judgement"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get(DELETION_FIELD_NAME)
        ]
        # The appraisal carries the overall judgement as just submitted in the main form.
        if problems := self.instance.judgement_problems(rows):
            raise ValidationError(problems)


class JudgementInline(admin.TabularInline):
    model = AppraisalJudgement
    form = JudgementForm
    formset = JudgementFormSet
    template = "admin/studies/edit_inline/tabular_with_note.html"
    extra = 0
    fields = ["domain", "outcome", "judgement", "support", "source"]
    # Rows a curator adds are one outcome's own judgements: "Add another judgement for one outcome".
    verbose_name = "judgement for one outcome"
    verbose_name_plural = "judgements"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # Outcome measures and sources are added on the study's page, not from a row here.
        if isinstance(getattr(formfield, "widget", None), RelatedFieldWidgetWrapper):
            formfield.widget = formfield.widget.widget
        return formfield

    def get_queryset(self, request):
        # The whole study's domains first, in the order they were laid out (the tool's), then each outcome's.
        return super().get_queryset(request).order_by(F("outcome_id").asc(nulls_first=True), "id")


class AppraisalForm(ReasonForm):
    class Meta:
        model = Appraisal
        fields = ["study", "tool", "tool_reason", "overall", "overall_support"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "tool" in self.fields:
            self.fields["tool"].required = False
            self.fields["tool"].help_text = (
                "Leave empty for the tool that fits the study's design (RoB 2 for randomized trials, ROBINS-I for "
                "non-randomized comparisons, a JBI checklist for case series and case reports). Choosing another "
                "needs a reason. The tool's domains are laid out once the appraisal is saved."
            )
        if "overall" in self.fields and self.instance.pk:
            tool = self.instance.tool_definition
            overall = self.fields["overall"]
            self.fields["overall"] = OfferedChoiceField(
                choices=[EMPTY_CHOICE, *scale_choices(tool)] if tool.has_overall else [EMPTY_CHOICE],
                accepted=["", *Judgement.values],
                required=False,
                label=overall.label,
                help_text=overall.help_text,
            )

    def clean(self):
        cleaned_data = super().clean()
        study = cleaned_data.get("study")
        if "tool" in self.fields and not cleaned_data.get("tool") and study is not None:
            cleaned_data["tool"] = proposed_tool(study)
        return cleaned_data


def lay_out_domains(appraisal, reason):
    """One whole-study row per domain of the appraisal's tool, 'not assessed' until someone judges it."""
    present = set(appraisal.judgements.filter(outcome__isnull=True).values_list("domain", flat=True))
    for domain in appraisal.tool_definition.domains:
        if domain.code not in present:
            row = AppraisalJudgement(appraisal=appraisal, domain=domain.code, judgement=Judgement.NOT_ASSESSED)
            row._change_reason = reason
            row.save()


@admin.register(Appraisal)
class AppraisalAdmin(WorkflowAdmin, ReasonedSaveMixin, CurationAdmin):
    form = AppraisalForm
    list_display = ["study", "tool", "overall", "status", "updated_at"]
    list_filter = ["tool", "status", "overall"]
    search_fields = ["study__title", "study__slug"]
    list_select_related = ["study"]
    autocomplete_fields = ["study"]
    show_full_result_count = False
    inlines = [JudgementInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "study":
            kwargs["widget"] = KeyAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["study", "tool", "tool_reason"]})]
        return [
            (None, {"fields": ["study", "status", ("tool", "design_suggests"), "tool_reason"]}),
            ("Overall judgement", {"fields": ["overall", "overall_support"]}),
            ("Saving", {"fields": ["change_reason", "updated_at"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        # The rows are the chosen tool's domains: to use another tool, the appraisal is added again.
        return ["study", "status", "tool", "design_suggests", "updated_at"] if obj is not None else []

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        study_id = initial.get("study")
        study = Study.objects.filter(pk=study_id).first() if study_id and is_key(study_id) else None
        if study is not None:
            initial["tool"] = proposed_tool(study)
        return initial

    @admin.display(description="The study's design suggests")
    def design_suggests(self, appraisal):
        tool = TOOLS[proposed_tool(appraisal.study)]
        design = appraisal.study.get_design_display() or "design not stated"
        return f"{tool.name} ({design})"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        lay_out_domains(form.instance, self.change_reason(form, change))

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        # The domains exist only now: the curator goes on to the page that lays them out.
        self.message_user(
            request,
            f"'{obj}' was added with the domains of {obj.tool_definition.short_name}; judge each below.",
            messages.SUCCESS,
        )
        return redirect(reverse("admin:studies_appraisal_change", args=[obj.pk]))


# Outcome summaries


def selection_changed(summaries):
    """The ids of the confirmed summaries whose rule picks a published study created or changed on a
    day after the selection was confirmed, from one query whatever their number."""
    confirmed = [summary for summary in summaries if summary.selection_confirmed_on]
    if not confirmed:
        return set()
    totals = Study.objects.aggregate(
        **{
            f"s{summary.pk}": Count(
                "pk", filter=summary.rule() & Q(updated_at__date__gt=summary.selection_confirmed_on)
            )
            for summary in confirmed
        }
    )
    return {summary.pk for summary in confirmed if totals[f"s{summary.pk}"]}


SELECTION_CHANGED = "Selection changed since confirmed"


class SelectionFilter(admin.SimpleListFilter):
    title = "selection"
    parameter_name = "selection"

    def lookups(self, request, model_admin):
        return [("changed", SELECTION_CHANGED), ("current", "Confirmed, unchanged"), ("unconfirmed", "Not confirmed")]

    def queryset(self, request, queryset):
        if self.value() == "unconfirmed":
            return queryset.filter(selection_confirmed_on__isnull=True)
        if self.value() in ("changed", "current"):
            changed = selection_changed(OutcomeSummary.objects.filter(selection_confirmed_on__isnull=False))
            confirmed = queryset.filter(selection_confirmed_on__isnull=False)
            return confirmed.filter(pk__in=changed) if self.value() == "changed" else confirmed.exclude(pk__in=changed)
        return queryset


def confirm_selection(summary, user):
    count = summary.studies().count()
    summary.selection_confirmed_on = timezone.localdate()
    summary._change_reason = f"Selection confirmed: {count} stud{'y' if count == 1 else 'ies'}"
    summary._history_user = user
    summary.save()


def describe_counts(summary, counts):
    if not counts.studies:
        return "No published study is picked by the rule."
    lines = [f"{counts.studies} stud{'y' if counts.studies == 1 else 'ies'}"]
    if counts.participants_unknown < counts.studies:
        unknown = f"; {counts.participants_unknown} do not report how many" if counts.participants_unknown else ""
        lines.append(f"{counts.participants} participants{unknown}")
    else:
        lines.append("Participants not reported by any of them")
    lines.append("Designs: " + "; ".join(f"{label}: {number}" for label, number in counts.designs))
    if summary.outcome_category != ADVERSE_EVENTS:
        lines.append(f"Reporting the outcome only in words: {counts.words_only}")
    if counts.rule_of_three:
        lines.append(counts.rule_of_three)
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in lines)))


class OutcomeSummaryForm(ReasonForm):
    class Meta:
        model = OutcomeSummary
        fields = "__all__"
        widgets = {
            **{f"{field}_reason": forms.Textarea(attrs={"rows": 2, "cols": 60}) for field, _, _ in DOMAINS},
            "selection_note": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "plain_language": forms.Textarea(attrs={"rows": 3, "cols": 80}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        expected = self.instance.expected_certainty if self.instance.pk else None
        if expected is not None and "certainty" in self.fields:
            self.fields["certainty"].help_text = (
                f"With the starting level and the five domains as saved, it must be {expected.label.lower()}. "
                + self.fields["certainty"].help_text
            )


@admin.register(OutcomeSummary)
class OutcomeSummaryAdmin(WorkflowAdmin, ReasonedSaveMixin, CurationAdmin):
    form = OutcomeSummaryForm
    list_display = ["key", "outcome", "certainty", "status", "selection"]
    list_filter = ["status", "certainty", SelectionFilter]
    search_fields = ["key", "question", "outcome"]
    autocomplete_fields = ["excluded_studies"]
    readonly_fields = ["status", "picked_studies", "selection_confirmed_on", "computed_counts", "updated_at"]
    actions = [*WorkflowAdmin.actions, "confirm_selected"]
    fieldsets = [
        (None, {"fields": ["key", "status", "question", "outcome", "condition", "plain_language", "position"]}),
        (
            "Which studies",
            {
                "fields": [
                    "studies_selected_by",
                    ("outcome_category", "intervention_class"),
                    ("requires_outcome", "randomized_only", "requires_safety_statement"),
                    "picked_studies",
                    "excluded_studies",
                    "selection_note",
                    "selection_confirmed_on",
                ]
            },
        ),
        (
            "Certainty of the evidence (GRADE)",
            {"fields": ["starting_level", *((field, f"{field}_reason") for field, _, _ in DOMAINS), "certainty"]},
        ),
        ("What the studies add up to (computed)", {"fields": ["computed_counts"]}),
        ("Saving", {"fields": ["change_reason", "updated_at"]}),
    ]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/confirm-selection/",
                self.admin_site.admin_view(self.confirm_selection_view),
                name=self.admin_url_name("confirm_selection"),
            ),
            *super().get_urls(),
        ]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        changed = selection_changed(changelist.result_list)
        for summary in changelist.result_list:
            summary.selection_has_changed = summary.pk in changed
        return changelist

    @admin.display(description="Selection")
    def selection(self, summary):
        if not summary.selection_confirmed_on:
            return "Not confirmed"
        changed = getattr(summary, "selection_has_changed", None)
        if changed is None:  # outside the list, which reads them all in one query
            changed = summary.pk in selection_changed([summary])
        if changed:
            return f"{SELECTION_CHANGED} ({summary.selection_confirmed_on.isoformat()})"
        return f"Confirmed on {summary.selection_confirmed_on.isoformat()}"

    @admin.display(description="Studies the rule picks (published)")
    def picked_studies(self, summary):
        if not summary.pk:
            return "Save the summary to see the studies its rule picks."
        studies = summary.studies().order_by("title")
        if not studies:
            return "None yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse("admin:studies_study_change", args=[study.pk]),
                        study.title,
                        study.get_design_display() or "design not stated",
                    )
                    for study in studies
                ),
            ),
        )

    @admin.display(description="Counts")
    def computed_counts(self, summary):
        if not summary.pk:
            return "Computed once the summary is saved."
        return describe_counts(summary, counts_for([summary])[summary.pk])

    @method_decorator(require_POST)
    def confirm_selection_view(self, request, object_id):
        summary = self.get_object(request, unquote(object_id))
        if summary is None:
            raise Http404(f"No outcome summary has the id {object_id!r}.")
        if not self.has_change_permission(request, summary):
            raise PermissionDenied
        confirm_selection(summary, request.user)
        self.message_user(request, f"The selection of '{summary}' is confirmed as of today.", messages.SUCCESS)
        return redirect(reverse(f"admin:{self.admin_url_name('change')}", args=[summary.pk]))

    @admin.action(description="Confirm the selection of the selected summaries", permissions=["change"])
    def confirm_selected(self, request, queryset):
        for summary in queryset:
            confirm_selection(summary, request.user)
        self.message_user(request, f"Selection confirmed for {len(queryset)}.", messages.SUCCESS)
