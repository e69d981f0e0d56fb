"""Visitors of the public site: mostly filtered lists and study pages, some comparisons, feeds and
downloads. LOAD_HOSTS (space-separated) spreads the visitors over several servers in turn."""

import itertools
import os
import random

from locust import FastHttpUser, between, task

FILTERS = [
    "",
    "?condition=androgenetic_alopecia",
    "?design=randomized_controlled&sort=largest",
    "?intervention_class=exosome&exosome_source=adsc",
    "?q=density&sort=title",
    "?year_min=2015&year_max=2024&sort=design",
    "?results=numeric&route=topical&page=3",
]
# Downloads of a few studies each, as a reader takes them from a filtered list.
DOWNLOAD_FILTERS = ["?design=randomized_controlled&year_min=2024", "?q=density&condition=alopecia_areata"]
CATEGORIES = ["hair_density", "hair_thickness", "hair_count", "salt_score"]
TABLES = ["studies", "arms", "outcomes", "adverse-events", "sources"]
SERVERS = itertools.cycle(os.environ.get("LOAD_HOSTS", "").split() or [None])


class Visitor(FastHttpUser):
    # A burst of readers (a news story, an advert): 0.1 to 0.3 s between clicks, so 50 visitors ask
    # up to 250 pages a second, more than the servers can make without the cache. LOAD_WAIT="2 8"
    # gives calm readers' pauses instead.
    wait_time = between(*map(float, os.environ.get("LOAD_WAIT", "0.1 0.3").split()))

    def __init__(self, environment):
        self.host = next(SERVERS) or environment.host
        super().__init__(environment)

    def on_start(self):
        response = self.client.get("/studies/?sort=title", name="list")
        self.slugs = [
            line.split('href="/studies/')[1].split("/")[0]
            for line in response.text.splitlines()
            if '<h3><a href="/studies/' in line
        ]

    @task(5)
    def filtered_list(self):
        self.client.get(f"/studies/{random.choice(FILTERS)}", name="list")

    @task(4)
    def study_page(self):
        self.client.get(f"/studies/{random.choice(self.slugs)}/", name="detail")

    @task(2)
    def comparison(self):
        self.client.get(f"/compare/?category={random.choice(CATEGORIES)}", name="compare")

    @task(1)
    def feed(self):
        self.client.get("/studies/feed/", name="feed")

    @task(1)
    def download(self):
        table = random.choice(TABLES)
        self.client.get(f"/studies/export/{table}.csv{random.choice(DOWNLOAD_FILTERS)}", name="export csv")
