"""Writes for the registers (see registers.py and imports.py)."""

from .imports import import_run, import_start, read_geometry_file
from .registers import (
    BuildingData,
    LoadReport,
    area_check,
    area_delete,
    area_save,
    building_check,
    building_delete,
    building_save,
    former_name_add,
    settlement_update,
    settlements_load,
    street_rename,
    street_save,
)
from .territories import (
    RuleImportReport,
    territory_create,
    territory_rule_add,
    territory_rule_delete,
    territory_rules_import,
)

__all__ = [
    "BuildingData",
    "LoadReport",
    "area_check",
    "area_delete",
    "area_save",
    "building_check",
    "building_delete",
    "building_save",
    "former_name_add",
    "import_run",
    "import_start",
    "read_geometry_file",
    "settlement_update",
    "settlements_load",
    "street_rename",
    "street_save",
    "RuleImportReport",
    "territory_create",
    "territory_rule_add",
    "territory_rule_delete",
    "territory_rules_import",
]
