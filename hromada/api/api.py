from ninja import NinjaAPI

api = NinjaAPI(
    title="Hromada API",
    version="1.0.0",
    description="Public and staff API of the Hromada platform. Errors: {code, message, field}.",
    urls_namespace="api-v1",
)
