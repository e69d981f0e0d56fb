"""What every curation page shares: ids posted by a browser are checked before they reach a query."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from simple_history.admin import SimpleHistoryAdmin

LARGEST_KEY = 2**63 - 1


def is_key(value):
    """Whether a posted value can be a row's id: a whole number that fits the id column."""
    return str(value).isdigit() and int(value) <= LARGEST_KEY


class CurationAdmin(SimpleHistoryAdmin):
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
