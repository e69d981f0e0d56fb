"""Reads from database replicas.

With `DATABASE_REPLICA_URLS` set, each public read-only request picks one replica and makes all its
reads there, the version it files pages under included, so one page never mixes two replicas that
lag by different amounts. Writes, the whole admin, and every request of a curator who saved
something in the last `READ_PRIMARY_AFTER_WRITE_SECONDS` (a cookie says so) use the primary: a
curator never sees an older copy of what they just saved.
"""

import random
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Set for a while after a curator's save; it says only "read the primary", nothing about the person.
READ_PRIMARY_COOKIE = "read_primary"

_reads = ContextVar("read_database", default=None)


def read_from(alias):
    """Send this request's reads to `alias` (None: the primary)."""
    _reads.set(alias)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _reads.get()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every database holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def is_admin(path):
    return path.startswith(f"/{settings.ADMIN_PATH}")


def reads_replica(request):
    return (
        bool(settings.DATABASE_REPLICAS)
        and request.method in SAFE_METHODS
        and not is_admin(request.path)
        and READ_PRIMARY_COOKIE not in request.COOKIES
    )


def route_reads(get_response):
    def middleware(request):
        read_from(random.choice(settings.DATABASE_REPLICAS) if reads_replica(request) else None)
        response = get_response(request)
        if settings.DATABASE_REPLICAS and request.method not in SAFE_METHODS and is_admin(request.path):
            response.set_cookie(
                READ_PRIMARY_COOKIE,
                "1",
                max_age=settings.READ_PRIMARY_AFTER_WRITE_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    return middleware


def back_to_primary(**kwargs):
    # After the response, streamed downloads included, has been sent.
    read_from(None)


request_finished.connect(back_to_primary, dispatch_uid="serving-back-to-primary")
