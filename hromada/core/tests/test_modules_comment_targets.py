"""The registry's comment targets (Module.comment_targets, hromada.comments): what it
refuses, and how the comments app finds a target's resolver without naming a module."""

import pytest

from hromada.core.modules import CommentTarget, Module, RegistryError, registry


def _module(**kwargs) -> Module:
    return Module(**{"label": "extra", "name": "Extra", "event_prefix": "extra", **kwargs})


@pytest.mark.parametrize(
    "kind",
    ["sample.thing", "other.thing", "extra", "extra.Bad-Kind", "extra.", ".thing", "extra.thing.sub"],
)
def test_the_registry_refuses_a_comment_target_outside_the_modules_label(kind):
    with pytest.raises(RegistryError, match="comment target"):
        registry.register(_module(comment_targets={kind: "hromada.core.tests.sample.comments.thing"}))
    assert "extra" not in registry


def test_a_declared_target_resolves_and_an_undeclared_one_does_not(hromada):
    found = registry.comment_target("sample.thing")
    assert found is not None
    module, resolver = found
    assert module.label == "sample"
    assert resolver(hromada=hromada, key="999999") is None
    for kind in ("sample.nothing", "nomodule.thing", "", "sample"):
        assert registry.comment_target(kind) is None


def test_a_resolver_answers_a_comment_target(hromada, resident):
    from hromada.core.tests.sample.models import Thing

    thing = Thing.objects.create(hromada=hromada, owner=resident, title="open")
    _module_, resolver = registry.comment_target("sample.thing")
    target = resolver(hromada=hromada, key=str(thing.pk))
    assert isinstance(target, CommentTarget)
    assert target.public and target.refusal(resident) is None
    assert list(target.audience()) == [resident.pk]
    assert target.moderate_perm == "sample.act"


def test_a_module_with_a_well_named_target_registers():
    try:
        registry.register(_module(comment_targets={"extra.thing": lambda *, hromada, key: None}))
        assert registry.comment_target("extra.thing") is not None
    finally:
        registry.unregister("extra")
