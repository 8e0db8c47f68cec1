import uuid

from ninja import Field, Router, Schema, Status

from hromada.accounts.api_auth import session_or_token
from hromada.core.pagination import paginated
from hromada.core.ratelimit import rate_limit

from .models import Thing

router = Router(tags=["sample"])


class ThingOut(Schema):
    title: str


@router.get("/sample/ping")
def ping(request):
    return {"hromada": request.hromada.slug}


@router.get("/sample/things", response=list[ThingOut])
@paginated(page_size=2, max_page_size=3)
def list_things(request):
    return Thing.objects.for_hromada(request.hromada).order_by("id")


@router.post("/sample/things", auth=session_or_token, response={201: ThingOut})
def make_thing(request):
    """An API write: counted by the API's write budget (api.write)."""
    with rate_limit(request, "sample.make"):
        thing = Thing.objects.create(hromada=request.hromada, owner=request.auth, title="made")
    return Status(201, thing)


@router.post("/sample/things/free", auth=session_or_token, response={201: ThingOut}, throttle=[])
def make_free_thing(request):
    """An API write the budget leaves out (as signing is)."""
    return Status(201, Thing.objects.create(hromada=request.hromada, owner=request.auth, title="free"))


class EchoIn(Schema):
    title: str = Field(min_length=3, max_length=10)
    count: int = Field(ge=1, le=5)
    ref: uuid.UUID


@router.post("/sample/echo", response={200: EchoIn}, throttle=[])
def echo(request, payload: EchoIn):
    """Validation only: the kernel's tests of translated validation errors."""
    return payload
