"""What every part of a study shares: it belongs to its parent for good."""

from django.core.exceptions import ValidationError


class FixedParent:
    """A part stays with the record it was created in.

    Moving an arm (or a source, a result ...) to another study would publish a draft's data in a
    published study without a reason asked, and leave the draft's results and adverse events
    pointing at another study's arm. A curator who needs that deletes the part and adds it anew.
    """

    parent_field = "study"

    def clean(self):
        super().clean()
        if self.pk is None:
            return
        parent_id = f"{self.parent_field}_id"
        stored = type(self).objects.filter(pk=self.pk).values_list(parent_id, flat=True).first()
        if stored is not None and stored != getattr(self, parent_id):
            parent_model = self._meta.get_field(self.parent_field).related_model
            original = parent_model.objects.filter(pk=stored).first()
            name = self._meta.verbose_name
            raise ValidationError(
                {
                    self.parent_field: f"This {name} belongs to {parent_model._meta.verbose_name} '{original}' and "
                    f"cannot be moved to another one. Add a new {name} there instead, and delete this one if it "
                    "is wrong."
                }
            )
