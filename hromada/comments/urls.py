"""Comment threads, /comments/… (htmx fragments and their no-script pages)."""

app_name = "comments"

urlpatterns: list = []
