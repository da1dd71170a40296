"""JSON Schemas of the types the declarations name, by pydantic, in one pass.

One pass, so that a record several answers hold is one component they all reference.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import core_schema

from service.routes.openapi.spec import HIDDEN_FIELDS

_REF = "#/components/schemas/{model}"


class Schemas:
    """Collects every type the document names, then has pydantic describe them together."""

    def __init__(self) -> None:
        self._wanted: list[tuple[Any, JsonSchemaMode, dict[str, Any]]] = []

    def of(self, kind: Any, mode: JsonSchemaMode = "serialization") -> dict[str, Any]:
        """A schema (often a `$ref`) for `kind`, filled in by `components`."""
        placeholder: dict[str, Any] = {}
        self._wanted.append((kind, mode, placeholder))
        return placeholder

    def components(self) -> dict[str, Any]:
        """Fill every placeholder; the shared definitions."""
        inputs = [
            (i, mode, TypeAdapter[Any](kind)) for i, (kind, mode, _) in enumerate(self._wanted)
        ]
        keyed, top = TypeAdapter.json_schemas(inputs, ref_template=_REF, schema_generator=_Wire)
        for i, (_, mode, placeholder) in enumerate(self._wanted):
            placeholder.update(keyed[(i, mode)])
        definitions: dict[str, Any] = top.get("$defs", {})
        return definitions


class _Wire(GenerateJsonSchema):
    """JSON Schema of what to_dict writes: hidden fields out, every other field present."""

    def dataclass_schema(self, schema: core_schema.DataclassSchema) -> JsonSchemaValue:
        json_schema = super().dataclass_schema(schema)
        hidden = HIDDEN_FIELDS.get(schema["cls"], frozenset())
        for name in hidden:
            json_schema.get("properties", {}).pop(name, None)
        if "required" in json_schema:
            json_schema["required"] = [n for n in json_schema["required"] if n not in hidden]
        return json_schema

    def field_is_required(
        self,
        field: core_schema.ModelField | core_schema.DataclassField | core_schema.TypedDictField,
        total: bool,
    ) -> bool:
        # to_dict writes defaulted fields too, so an answer always has them.
        if self.mode == "serialization" and field["type"] == "dataclass-field":
            return True
        return super().field_is_required(field, total)

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False  # "Board Id" above board_id says nothing
