from ninja import Router

from . import api_lookup

router = Router(tags=["places"])
router.add_router("", api_lookup.router)
