from django_tasks import task

from .models import Petition


@task()
def petition_check_threshold(petition_pk: int) -> bool:
    from .services import petition_reach_threshold

    petition = Petition.objects.select_related("hromada").filter(pk=petition_pk).first()
    if petition is None:
        return False
    return petition_reach_threshold(petition=petition)


def petitions_tick() -> dict:
    """Periodic job (see core.schedule): counts, thresholds, expiry, overdue flags."""
    from .services import petitions_tick as tick

    return tick()
