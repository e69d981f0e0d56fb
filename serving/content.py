"""The content version: which changes count, how the number goes up, and how a request reads it.

A save or delete of any model of the apps in `settings.PUBLIC_CONTENT_APPS` (studies and their
parts, appraisals, summaries, claims), and any change to their many-to-many links, raises the
number once per transaction, when it commits. Code that writes without the ORM's signals
(`bulk_create`, `update()`) calls `content_changed()` itself.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, router, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from serving.models import ContentVersion

ROW = 1


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: datetime | None

    @property
    def timestamp(self):
        """Whole seconds, as HTTP dates are; None before the first change."""
        return int(self.changed_at.timestamp()) if self.changed_at else None


def current():
    """The version of the content on the database this request reads (a replica's own copy on a
    replica), so a page is never filed under a version newer than the data it was made from."""
    row = ContentVersion.objects.filter(pk=ROW).values_list("number", "changed_at").first()
    return Version(*row) if row else Version(0, None)


def of_request(request):
    """The version the request's page is filed under, read once per request: parts of a page kept on
    their own (the study list's filter form) are filed under the same one."""
    if not hasattr(request, "content_version"):
        request.content_version = current()
    return request.content_version


def bump(using=DEFAULT_DB_ALIAS):
    now = timezone.now()
    versions = ContentVersion.objects.using(using)
    if versions.filter(pk=ROW).update(number=F("number") + 1, changed_at=now):
        return
    try:
        with transaction.atomic(using=using):
            versions.create(pk=ROW, number=1, changed_at=now)
    except IntegrityError:  # another process created it first
        versions.filter(pk=ROW).update(number=F("number") + 1, changed_at=now)


def content_changed(using=DEFAULT_DB_ALIAS):
    """Raise the version when the current transaction commits (at once outside a transaction);
    once per transaction, however many rows it wrote. A rolled-back transaction changes nothing."""
    connection = connections[using]
    if connection.in_atomic_block and any(
        getattr(callback, "content_version_bump", False) for _savepoints, callback, _robust in connection.run_on_commit
    ):
        return

    def raise_version():
        bump(using)

    raise_version.content_version_bump = True
    transaction.on_commit(raise_version, using=using)


def is_public_content(model):
    return model._meta.app_label in settings.PUBLIC_CONTENT_APPS


def on_change(sender, using=None, **kwargs):
    if is_public_content(sender):
        content_changed(using or router.db_for_write(sender))


def on_links_changed(sender, instance, action, using=None, **kwargs):
    if action.startswith("post_") and is_public_content(type(instance)):
        content_changed(using or router.db_for_write(sender))


def watch_public_content():
    post_save.connect(on_change, dispatch_uid="serving-content-saved")
    post_delete.connect(on_change, dispatch_uid="serving-content-deleted")
    m2m_changed.connect(on_links_changed, dispatch_uid="serving-content-links")
