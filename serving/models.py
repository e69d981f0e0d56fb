from django.db import models


class ContentVersion(models.Model):
    """One row whose number goes up whenever anything the public can see changes.

    Every cached page, download and ETag includes the number, so a change makes all of them new at
    once: nothing stale is ever served. It lives in the database, not in a cache, so every server
    process reads the same number, and a replica's copy of it always matches that replica's data.
    """

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return f"Content version {self.number}"
