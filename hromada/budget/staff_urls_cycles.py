from django.urls import path

from . import staff_views_cycles as cycles
from . import staff_views_implementation as implementation
from . import staff_views_review as review

urlpatterns = [
    path("", cycles.cycles, name="cycles"),
    path("cycles/new/", cycles.cycle_new, name="cycle_new"),
    path("cycles/<slug:slug>/", cycles.cycle, name="cycle"),
    path("cycles/<slug:slug>/extend/", cycles.cycle_extend, name="cycle_extend"),
    path("cycles/<slug:slug>/close/", cycles.cycle_close, name="cycle_close"),
    path("cycles/<slug:slug>/categories/", cycles.category_add, name="category_add"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/<uuid:public_id>/", review.review, name="review"),
    path("implementation/", implementation.implementation, name="implementation"),
    path(
        "implementation/<uuid:public_id>/",
        implementation.implementation_project,
        name="implementation_project",
    ),
]
