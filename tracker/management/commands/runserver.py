"""runserver, refusing unsafe settings the way the production servers do."""

from whitenoise.runserver_nostatic.management.commands.runserver import Command as StaticFreeRunserver

from tracker.checks import SERVING


class Command(StaticFreeRunserver):
    def handle(self, *args, **options):
        # Before the autoreloader starts, so that a refusal ends the command instead of leaving it
        # waiting for a code change; and whatever --skip-checks says, since this is about safety.
        self.check(tags=[SERVING], include_deployment_checks=True)
        super().handle(*args, **options)
