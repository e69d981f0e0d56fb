"""What every curation page shares: ids posted by a browser are checked before they reach a query."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

LARGEST_KEY = 2**63 - 1


def is_key(value):
    """Whether a posted value can be a row's id: a whole number that fits the id column."""
    return str(value).isdigit() and int(value) <= LARGEST_KEY


def first_error(adminform, inline_admin_formsets):
    """Where the first mistake on a refused page is, in page order: {"anchor": id, "description": words}.

    The page's own fields come first, then each inline table row by row. The anchor is the id of
    the field's input (its label points at it too), of an inline row, or of a whole inline table
    when the mistake is between its rows. None when the only mistakes are the page's own non-field
    errors, which Django shows next to the error note already.
    """
    form = adminform.form
    for name in flatten_fieldsets(adminform.fieldsets):
        if name in form.fields and form[name].errors:
            return {"anchor": form[name].id_for_label, "description": form[name].label}
    for inline in inline_admin_formsets:
        formset = inline.formset
        table = capfirst(inline.opts.verbose_name_plural)
        if formset.non_form_errors():
            return {"anchor": f"{formset.prefix}-group", "description": table}
        for number, row in enumerate(formset.forms, start=1):
            # Django ignores the mistakes of a row ticked for deletion, and so does the link.
            if not row.errors or getattr(row, "cleaned_data", {}).get(DELETION_FIELD_NAME):
                continue
            where = f"{table}, row {number}"
            if row.non_field_errors():
                return {"anchor": f"{formset.prefix}-{number - 1}", "description": where}
            for name in row.fields:
                if row[name].errors:
                    return {"anchor": row[name].id_for_label, "description": f"{where}, {row[name].label}"}
    return None


class CurationAdmin(SimpleHistoryAdmin):
    class Media:
        css = {"all": ["studies/admin.css"]}
        js = ["studies/error-link.js"]

    def render_change_form(self, request, context, *args, **kwargs):
        if context.get("errors"):
            # On a long page the first mistake can be screens away from the note saying there is one.
            context["first_error"] = first_error(context["adminform"], context["inline_admin_formsets"])
        return super().render_change_form(request, context, *args, **kwargs)

    def response_action(self, request, queryset):
        # Django filters the list by the posted ids as they come; one that is not a number would
        # fail that query with a server error instead of selecting nothing.
        if not all(is_key(key) for key in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)):
            self.message_user(request, "The selection was not understood; select the rows again.", messages.ERROR)
            return None
        return super().response_action(request, queryset)


class KeyAutocomplete(AutocompleteSelect):
    """When a save is refused, Django's autocomplete looks up the posted value to show its label
    again; a value that cannot be an id would fail that lookup instead of showing the form's message."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [key for key in value if is_key(key)], attr)
