"""Factories of the people app."""

import factory

from koblingsboks.people.models import Competence, CompetenceArea


class CompetenceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetenceArea

    name_nb = factory.Sequence(lambda n: f"Område {n}")
    name_en = factory.Sequence(lambda n: f"Area {n}")


class CompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competence

    area = factory.SubFactory(CompetenceAreaFactory)
    name_nb = factory.Sequence(lambda n: f"Kompetanse {n}")
    name_en = factory.Sequence(lambda n: f"Competence {n}")
