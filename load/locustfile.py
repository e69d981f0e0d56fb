"""Visitors of the public site: mostly filtered lists and study pages, some comparisons and downloads."""

import os
import random

from locust import HttpUser, between, task

FILTERS = [
    "",
    "?condition=androgenetic_alopecia",
    "?design=randomized_controlled&sort=largest",
    "?intervention_class=exosome&exosome_source=adsc",
    "?q=density&sort=title",
    "?year_min=2015&year_max=2024&sort=design",
    "?results=numeric&route=topical&page=3",
]
CATEGORIES = ["hair_density", "hair_thickness", "hair_count", "salt_score"]


class Visitor(HttpUser):
    # A reader looks at a page for a few seconds before the next click (LOAD_WAIT="0.5 1.5" for a
    # harsher test); without pauses 50 users would be a flood, not 50 readers.
    wait_time = between(*map(float, os.environ.get("LOAD_WAIT", "2 8").split()))

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
    def download(self):
        table = random.choice(["studies", "arms", "outcomes", "adverse-events", "sources"])
        self.client.get(f"/studies/export/{table}.csv{random.choice(FILTERS[1:4])}", name="export csv")
