from ninja import Router

router = Router(tags=["sample"])


@router.get("/sample/ping")
def ping(request):
    return {"hromada": request.hromada.slug}
