"""Bugs schemathesis found against /openapi.json, each kept from coming back."""

from __future__ import annotations

import httpx
from starlette.routing import Route

from tests.conftest import LiveServer

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def test_a_wrong_method_was_answered_by_the_web_mount_with_its_own_allow(
    server: LiveServer, client: httpx.Client
) -> None:
    """A wrong method on an API path reached the page's mount: `Allow: GET, HEAD`, or a 404."""
    taken: dict[str, set[str]] = {}
    for route in server.app.routes:
        if isinstance(route, Route):
            taken.setdefault(route.path, set()).update(route.methods or ())
    for path, methods in taken.items():
        url = path.replace("{", "x").replace("}", "")
        for method in sorted(set(METHODS) - methods):
            response = client.request(method, url)
            assert response.status_code == 405, (method, path, response.text)
            assert response.json()["error"]["code"] == "method_not_allowed"
            assert set(response.headers["allow"].split(", ")) == methods, (method, path)


def test_an_unknown_path_is_still_404_and_the_page_still_405(client: httpx.Client) -> None:
    """Only the app's routes changed: an unknown path stays 404, a POST to the page 405."""
    assert client.get("/api/nothing-here").status_code == 404
    response = client.post("/index.html")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
