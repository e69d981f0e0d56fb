import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

RESET_HINT = "Reset its password with: .venv/bin/python manage.py changepassword {username}"


class Command(BaseCommand):
    help = (
        "Create a local admin account with a random password, printed once, unless a superuser "
        "already exists. For development machines; never a fixed default password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing is not None:
            username = existing.get_username()
            self.stdout.write(f"Admin account '{username}' already exists. " + RESET_HINT.format(username=username))
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created admin account '{username}' with password: {password}\n"
                "It is shown only this once. " + RESET_HINT.format(username=username)
            )
        )
