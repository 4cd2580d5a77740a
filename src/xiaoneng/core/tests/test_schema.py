"""The whole OpenAPI schema (/api/schema/) is valid and generates without a warning: integrators
generate clients from it, and schemathesis checks responses against it."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_openapi_schema_is_valid_and_warning_free(tmp_path):
    out = tmp_path / "schema.yml"
    # --fail-on-warn turns any enum-name clash or unresolvable serializer into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    for path in ("/api/v1/complaints", "/api/v1/issues", "/api/v1/campaigns", "/api/v1/files"):
        assert f"{path}:" in text
