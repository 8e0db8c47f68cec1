import factory

from hromada.tenancy.models import Hromada, Statute


class HromadaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hromada
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Тестова громада {n}")
    slug = factory.Sequence(lambda n: f"test-{n}")
    katottg = factory.Sequence(lambda n: f"UA{n:017d}")
    population = 12_000
    hosts = factory.LazyAttribute(lambda o: [f"{o.slug}.example.test"])
    languages = ["uk", "en"]

    statute = factory.RelatedFactory("hromada.tenancy.tests.factories.StatuteFactory", "hromada")


class StatuteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statute

    hromada = factory.SubFactory(HromadaFactory, statute=None)
    petition_threshold = 3
    petition_collection_days = 30
