import factory

from hromada.core.modules import registry
from hromada.tenancy.models import Hromada

# Small numbers so tests reach thresholds quickly; applied to the modules installed.
TEST_MODULE_SETTINGS = {
    "petitions": {"threshold": 3, "collection_days": 30},
    "sample": {"limit": 3},
}


class HromadaFactory(factory.django.DjangoModelFactory):
    """A hromada with every installed module's settings row, as hromada_create makes it
    (`module_settings={"label": {field: value}}` overrides the test values)."""

    class Meta:
        model = Hromada
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Тестова громада {n}")
    slug = factory.Sequence(lambda n: f"test-{n}")
    katottg = factory.Sequence(lambda n: f"UA{n:017d}")
    population = 12_000
    hosts = factory.LazyAttribute(lambda o: [f"{o.slug}.example.test"])
    languages = ["uk", "en"]

    @factory.post_generation
    def module_settings(obj, create, extracted, **kwargs):
        if not create:
            return
        overrides = {**TEST_MODULE_SETTINGS, **(extracted or {})}
        for module in registry:
            model = module.settings_model_class()
            if model is not None:
                model.objects.update_or_create(hromada=obj, defaults=overrides.get(module.label, {}))
