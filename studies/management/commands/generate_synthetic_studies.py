from django.core.management.base import BaseCommand, CommandError

from studies.synthetic import MixedDataError, generate


class Command(BaseCommand):
    help = (
        "Fill the database with made-up, clearly marked studies for load and speed tests. Refuses a "
        "database that holds real studies unless --allow-mixed is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--studies", type=int, required=True, help="How many synthetic studies to add.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same studies.")
        parser.add_argument("--allow-mixed", action="store_true", help="Add them even though real studies are present.")

    def handle(self, *args, studies, seed, allow_mixed, **options):
        if studies < 1:
            raise CommandError("--studies must be at least 1.")

        def progress(done, total):
            if done % 10000 == 0 or done == total:
                self.stdout.write(f"{done}/{total} studies")

        try:
            written = generate(studies, seed, allow_mixed=allow_mixed, progress=progress)
        except MixedDataError as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{count} {name}" for name, count in written.items())
        self.stdout.write(self.style.SUCCESS(f"Added {summary}."))
