"""Reads of a winning project's implementation, for the public partial
budget/_implementation.html and the staff page."""

from __future__ import annotations

from .models import ImplementationUpdate, Project, ProjectFile, Stage

PROZORRO_TENDER_URL = "https://prozorro.gov.ua/tender/{}"


def for_project(project: Project) -> dict:
    """What the implementation block shows: stages, the latest progress and money spent
    against the cost, the tenders (with their Prozorro links), every update with its
    photos, and the delays with their reasons."""
    hromada_id = project.hromada_id
    stages = list(Stage.objects.for_hromada(hromada_id).filter(project=project).order_by("order", "id"))
    updates = list(
        ImplementationUpdate.objects.for_hromada(hromada_id)
        .filter(project=project)
        .select_related("stage")
        .order_by("-published_at", "-id")
    )
    photos: dict[int, list[ProjectFile]] = {}
    for f in ProjectFile.objects.for_hromada(hromada_id).filter(
        project=project, update__in=[u.pk for u in updates]
    ):
        photos.setdefault(f.update_id or 0, []).append(f)
    latest = updates[0] if updates else None
    cost = project.voted_cost
    spent = latest.spent if latest else 0
    tenders: list[dict[str, str]] = []
    for update in reversed(updates):
        if update.tender_id and update.tender_id not in [t["id"] for t in tenders]:
            tenders.append({"id": update.tender_id, "url": PROZORRO_TENDER_URL.format(update.tender_id)})
    return {
        "project": project,
        "stages": stages,
        "stages_done": sum(1 for s in stages if s.done_on),
        "updates": [{"update": u, "photos": photos.get(u.pk, [])} for u in updates],
        "progress": latest.progress if latest else 0,
        "spent": spent,
        "cost": cost,
        "spent_share": min(100, round(spent * 100 / cost)) if cost else 0,
        "tenders": tenders,
        "delays": [u for u in updates if u.delay_reason],
        "outcome": project.outcome,
        "outcome_label": project.get_outcome_display(),
    }
