"""The product's URLs plus two baselines measured on the same server in the same run:
- ``/bench/json``: a bare Django view answering a small JSON document (the framework floor);
- ``/bench/insert``: a bare view that INSERTs the posted text in one transaction (the durable
  write floor: one row, one commit)."""

import json

from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

TABLE = "bench_insert"


def bare_json(request):
    return JsonResponse({"ok": True})


@csrf_exempt
def bare_insert(request):
    data = json.loads(request.body or b"{}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (body) VALUES (%s)", [data.get("content", "")])
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [
    path("bench/json", bare_json),
    path("bench/insert", bare_insert),
    path("", include("xiaoneng.urls")),
]
