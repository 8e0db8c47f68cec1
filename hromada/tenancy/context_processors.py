def hromada(request):
    return {"hromada": getattr(request, "hromada", None)}
