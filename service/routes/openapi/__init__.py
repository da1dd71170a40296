"""`GET /openapi.json`: what every HTTP route takes and answers, from its own declaration.

spec.py     `@api(...)` and its vocabulary, used beside each endpoint
schemas.py  JSON Schemas of the types named there, by pydantic
build.py    the document, walking the app's routes, and the route serving it
"""

from service.routes.openapi.build import document, route
from service.routes.openapi.spec import UPLOAD, Content, EventStream, Param, api

__all__ = ["UPLOAD", "Content", "EventStream", "Param", "api", "document", "route"]
