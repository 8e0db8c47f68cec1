from django.conf import settings
from django.db import models

from hromada.core.models import TenantOwned
from hromada.tenancy.models import Hromada


class SampleSettings(TenantOwned):
    hromada = models.OneToOneField(Hromada, on_delete=models.CASCADE, related_name="+")
    limit = models.PositiveIntegerField("limit", default=10)


class Thing(TenantOwned):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=100)


class Unit(models.Model):
    """Install-wide reference data, declared not tenant-owned in module.py."""

    code = models.CharField(max_length=10, unique=True)

    def __str__(self) -> str:
        return self.code
