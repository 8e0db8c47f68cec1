from django.urls import path

from . import views_results

urlpatterns = [
    path("<slug:slug>/results/", views_results.results, name="results"),
    path(
        "tools/budget_tally.py",
        views_results.tool_file,
        {"name": "budget_tally.py"},
        name="tool_budget_tally",
    ),
    path("tools/tally.py", views_results.tool_file, {"name": "tally.py"}, name="tool_tally"),
]
