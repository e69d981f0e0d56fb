from django import forms

from registries.ctgov import MAX_RECORD_BYTES, MAX_RECORD_TEXT, RecordError, nct_number, read_file

WHOLE_STUDY = "whole-study"


class ImportForm(forms.Form):
    nct_id = forms.CharField(
        label="NCT number",
        required=False,
        max_length=40,
        help_text="Read the record from ClinicalTrials.gov, e.g. NCT02210780.",
    )
    record_file = forms.FileField(
        label="Or a saved record",
        required=False,
        help_text=f"A JSON file as the API v2 gives it (/api/v2/studies/NCT...), at most {MAX_RECORD_TEXT}.",
    )

    def clean(self):
        cleaned_data = super().clean()
        typed, uploaded = cleaned_data.get("nct_id", "").strip(), cleaned_data.get("record_file")
        if self.errors:
            return cleaned_data
        if not typed and not uploaded:
            raise forms.ValidationError("Give an NCT number or choose a saved record.")
        try:
            expected = nct_number(typed) if typed else None
        except RecordError as error:
            self.add_error("nct_id", str(error))
            return cleaned_data
        cleaned_data["nct_id"] = expected
        if uploaded:
            if uploaded.size > MAX_RECORD_BYTES:
                too_large = f"The file is larger than {MAX_RECORD_TEXT}; a study record is far smaller."
                self.add_error("record_file", too_large)
                return cleaned_data
            try:
                cleaned_data["record"] = read_file(uploaded, expected=expected)
            except RecordError as error:
                self.add_error("record_file", str(error))
        return cleaned_data


class GroupMappingForm(forms.Form):
    """One choice per result group: which of the study's arms it is, or the whole study."""

    def __init__(self, *args, groups, arm_labels, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(WHOLE_STUDY, "The whole study (no single arm)"), *((label, label) for label in arm_labels)]
        for group in groups:
            self.fields[group.key] = forms.ChoiceField(
                label=group.title,
                choices=choices,
                initial=suggestions.get(group.key) or WHOLE_STUDY,
                help_text=group.description,
                error_messages={
                    "invalid_choice": f"'%(value)s' is not an arm of this study; choose one of the arms listed "
                    f"for group '{group.title}', or the whole study.",
                    "required": f"Choose the arm that group '{group.title}' is, or the whole study.",
                },
            )
        self.groups = groups

    def arm_of(self):
        """Group key -> arm label ('' for the whole study)."""
        return {key: "" if value == WHOLE_STUDY else value for key, value in self.cleaned_data.items()}

    def rows(self):
        return [(group, self[group.key]) for group in self.groups]


class AcceptForm(forms.Form):
    key = forms.CharField(max_length=32, widget=forms.HiddenInput)
    # The history keeps 100 characters, "Synced from ClinicalTrials.gov, record of YYYY-MM-DD: " included.
    reason = forms.CharField(
        max_length=45,
        help_text="Why the registry's value is right; kept in the history.",
        error_messages={"required": "Give a reason for accepting this change; it is kept in the history."},
    )
