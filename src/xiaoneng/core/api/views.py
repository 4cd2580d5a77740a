from collections.abc import Callable

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..errors import Forbidden
from ..ratelimit import scoped_throttle
from ..services import org as org_services
from ..services.accounts import tokens_revoke_all
from .auth import token_issue, token_revoke
from .serializers import (
    DepartmentSerializer,
    MeSerializer,
    PersonSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UnitSerializer,
)


class TokenView(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    max_body_bytes = 4096  # a user name and a password (core.bodylimits)
    # Every request per client address; failed ones also count in core.auth's login_ip.
    throttle_classes = [scoped_throttle("auth_token", methods=("POST",))]

    @extend_schema(request=TokenRequestSerializer, responses={201: TokenResponseSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        key, token = token_issue(user=serializer.validated_data["user"], name="api")
        # Through the serializer so the time carries the local offset (+08:00), as API.md says.
        body = TokenResponseSerializer({"token": key, "expires_at": token.expires_at}).data
        return Response(body, status=status.HTTP_201_CREATED)


class TokenRevokeView(APIView):
    """Revoke the bearer token used for this request."""

    max_body_bytes = 1024

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        token = getattr(request, "api_token", None)
        if token is None:
            raise Forbidden(_("Only a bearer token can be revoked this way."))
        token_revoke(token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRevokeAllView(APIView):
    """Revoke every API token of the caller (session or bearer), e.g. after a lost laptop."""

    max_body_bytes = 1024

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "TokenRevokeAllResponse", {"revoked": serializers.IntegerField()}
            )
        },
    )
    def post(self, request):
        count = tokens_revoke_all(actor=request.user, user=request.user)
        return Response({"revoked": count})


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class CanManageOrgOrReadOnly(permissions.IsAuthenticated):
    """Anyone logged in may read (scoped); writes need ``org.manage`` and a writable role.

    Checked before the object is looked up or the body validated, so a user who may not
    write gets 403 whatever the id or the payload (and learns nothing about other units).
    """

    message = _("You do not have permission to do this.")

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        if not user.has_permission("org.manage"):
            return False
        return user.is_superuser or not all(r.read_only for r in user.roles.all())


class OrgWriteMixin(generics.GenericAPIView):
    """Reads are scoped; writes go through ``services.org``, which holds the whole rule
    (scope before and after the change, structure changes only for ``org.structure``)."""

    permission_classes = [CanManageOrgOrReadOnly]

    # the org service a view writes with (set by each view: create for lists, update for details)
    service_create: Callable[..., Model]
    service_update: Callable[..., Model]
    instance_kw = ""

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        with transaction.atomic():
            serializer.instance = type(self).service_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        with transaction.atomic():
            serializer.instance = type(self).service_update(
                actor=self.request.user, **{self.instance_kw: serializer.instance}, **data
            )


class UnitList(OrgWriteMixin, generics.ListCreateAPIView):
    serializer_class = UnitSerializer
    filterset_fields = ["kind", "level", "parent", "code", "is_window", "is_active"]
    ordering_fields = ["id", "name", "code", "path"]
    service_create = staticmethod(org_services.unit_create)

    def get_queryset(self):
        return selectors.units_for(self.request.user)


class UnitDetail(OrgWriteMixin, generics.RetrieveUpdateAPIView):
    serializer_class = UnitSerializer
    service_update = staticmethod(org_services.unit_update)
    instance_kw = "unit"

    def get_queryset(self):
        return selectors.units_for(self.request.user)


class DepartmentList(OrgWriteMixin, generics.ListCreateAPIView):
    serializer_class = DepartmentSerializer
    filterset_fields = ["unit", "kind", "is_active"]
    ordering_fields = ["id", "name"]
    service_create = staticmethod(org_services.department_create)

    def get_queryset(self):
        return selectors.departments_for(self.request.user)


class DepartmentDetail(OrgWriteMixin, generics.RetrieveUpdateAPIView):
    serializer_class = DepartmentSerializer
    service_update = staticmethod(org_services.department_update)
    instance_kw = "department"

    def get_queryset(self):
        return selectors.departments_for(self.request.user)


class PersonList(OrgWriteMixin, generics.ListCreateAPIView):
    serializer_class = PersonSerializer
    filterset_fields = ["unit", "departments", "political_status", "is_active", "employee_no"]
    ordering_fields = ["id", "name"]
    service_create = staticmethod(org_services.person_create)

    def get_queryset(self):
        return selectors.people_for(self.request.user)


class PersonDetail(OrgWriteMixin, generics.RetrieveUpdateAPIView):
    serializer_class = PersonSerializer
    service_update = staticmethod(org_services.person_update)
    instance_kw = "person"

    def get_queryset(self):
        return selectors.people_for(self.request.user)
