"""Driving the admin the way a curator's browser does: read a page's forms, change fields, post."""

from django.contrib.auth.models import Group, User
from django.forms import CheckboxInput
from django.urls import reverse


def make_user(role, username=None):
    user = User.objects.create_user(username=username or role.lower(), password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def page_data(response):
    """The data the admin page would post back unchanged: main form, inline forms, management forms."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        # Browsers post the hidden template row too (named __prefix__); Django ignores it.
        forms.extend([*inline.formset.forms, inline.formset.empty_form])
    data = {}
    for form in forms:
        for name, field in form.fields.items():
            bound = form[name]
            value = bound.value()
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif value is not None:
                data[bound.html_name] = value
    return data


def form_value(value):
    if value is True:
        return "on"
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(value)
    return str(value)


def add_rows(data, prefix, rows):
    """Append inline rows after the ones the page already has."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    template = f"{prefix}-__prefix__-"
    defaults = {key.removeprefix(template): value for key, value in data.items() if key.startswith(template)}
    for offset, row in enumerate(rows):
        for name, value in {**defaults, **row}.items():
            if value is False:
                continue
            data[f"{prefix}-{start + offset}-{name}"] = form_value(value)
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data


def change_url(obj):
    return reverse(f"admin:studies_{obj._meta.model_name}_change", args=[obj.pk])


def post_change(client, obj, changes=None, rows=None):
    """Open the change page of obj, apply field changes and new inline rows, and save."""
    page = client.get(change_url(obj))
    assert page.status_code == 200
    data = page_data(page)
    data.update({name: form_value(value) for name, value in (changes or {}).items()})
    for prefix, new_rows in (rows or {}).items():
        add_rows(data, prefix, new_rows)
    return client.post(change_url(obj), data)


def errors_of(response):
    """Every validation message on the page: form, field and inline row errors."""
    assert response.status_code == 200, "the save was expected to be refused"
    messages = list(response.context["adminform"].form.non_field_errors())
    for errors in response.context["adminform"].form.errors.values():
        messages.extend(errors)
    for inline in response.context["inline_admin_formsets"]:
        messages.extend(inline.formset.non_form_errors())
        for form_errors in inline.formset.errors:
            for errors in form_errors.values():
                messages.extend(errors)
    return messages
