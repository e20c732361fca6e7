"""API views: public reads for everyone, staff reads through ``scope``, writes through
services. Each view loads through the same scoping as the staff screens and the portal."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from renkei.programmes import public
from renkei.programmes.models import Activity
from renkei.programmes.services import record_attendance
from renkei.tenancy.permissions import Action, can, profile_of
from renkei.tenancy.public_site import portal_union
from renkei.tenancy.services import revoke_api_token

from . import listing
from .authentication import issue_token
from .pagination import PARAMS
from .serializers import (
    ActivityDetailSerializer,
    ActivityFilterSerializer,
    ActivitySerializer,
    AttendanceProposalSerializer,
    AttendanceResultSerializer,
    AttendanceSerializer,
    AttendanceWriteSerializer,
    ErrorSerializer,
    OrganisationSerializer,
)

ERRORS = {code: OpenApiResponse(ErrorSerializer) for code in (400, 401, 403, 404, 409, 429, 503)}


def visible_activities(request):
    """Staff see their scope (as on the staff screens); everyone else the public records."""
    if profile_of(request.user) is not None:
        return Activity.objects.all().restrict(request.user)
    union = portal_union()
    return public.public_activities(union) if union else Activity.objects.none()


def check_query(request, serializer_class=None, paginated=False) -> dict:
    """Validated query parameters; unknown names are a 400, never silently ignored."""
    allowed = set(serializer_class().fields) if serializer_class else set()
    allowed |= PARAMS if paginated else set()
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ValidationError({name: [_("知らない条件です。")] for name in unknown})
    if serializer_class is None:
        return {}
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


def filter_took_part(window, queryset, code: str):
    """Activities the municipality led or attended. PostgreSQL plans an OR of two EXISTS as
    hashed subplans that read every activity the municipality ever took part in (70 ms at a
    million), while each EXISTS alone is probed per row: read each branch's keys up to the
    end of the requested window (a keyset page: at most ``page_size + 1`` each), merge, and
    keep those; the paginator then cuts the same window out of them."""
    led, attended = public.took_part_queries(outer="pk", code=code)
    keys = {
        pk
        for branch in (led, attended)
        for pk in window.keys_up_to_end(queryset.filter(Exists(branch)))
    }
    return queryset.filter(pk__in=keys)


class ActivityListView(generics.ListAPIView):
    """Activities, oldest record first; filter by year, pillar, municipality and kind.
    Paged by a cursor (``pagination.KeysetPagination``); the rows are built by
    ``listing.rows``, which gives the same JSON as ``ActivitySerializer`` (the schema)."""

    serializer_class = ActivitySerializer

    @extend_schema(
        parameters=[ActivityFilterSerializer],
        responses={200: ActivitySerializer(many=True), 400: ERRORS[400]},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(listing.page_values(self.get_queryset()))
        return self.get_paginated_response(listing.rows(page, request))

    def get_queryset(self):
        filters = check_query(self.request, ActivityFilterSerializer, paginated=True)
        window = self.paginator.window(self.request)
        queryset = visible_activities(self.request)
        if "year" in filters:
            queryset = queryset.filter(group__programme__fiscal_year__year=filters["year"])
        if "pillar" in filters:
            queryset = queryset.filter(
                Exists(
                    Activity.pillars.through.objects.filter(
                        activity_id=OuterRef("pk"), pillar__key=filters["pillar"]
                    )
                )
            )
        if "kind" in filters:
            queryset = queryset.filter(kind=filters["kind"])
        if "municipality" in filters:
            queryset = filter_took_part(window, queryset, filters["municipality"])
        return queryset


class ActivityDetailView(generics.RetrieveAPIView):
    """One activity; 404 outside what the caller may see."""

    serializer_class = ActivityDetailSerializer

    @extend_schema(responses={200: ActivityDetailSerializer, 404: ERRORS[404]})
    def get(self, request, *args, **kwargs):
        check_query(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return public.with_detail(visible_activities(self.request))


class AttendanceView(APIView):
    """Staff record attendance per organisation (the staff screens' rule and service)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=AttendanceWriteSerializer,
        responses={
            200: AttendanceResultSerializer,
            202: AttendanceResultSerializer,
            **{k: v for k, v in ERRORS.items() if k != 400},
            400: ERRORS[400],
        },
    )
    def put(self, request, pk):
        activity = get_object_or_404(Activity.objects.all().restrict(request.user), pk=pk)
        # The role must allow contributing; the service checks each organisation's row.
        if not can(request.user, Action.CONTRIBUTE):
            raise PermissionDenied
        data = AttendanceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = data.validated_data["counts"]
        self.check_organisations([row["organisation"] for row in rows])
        saved = record_attendance(
            activity,
            request.user,
            reason=data.validated_data.get("reason", ""),
            counts={row["organisation"]: row["count"] for row in rows},
            seen={row["organisation"]: row["previous"] for row in rows},
        )
        attendances = activity.attendances.select_related("organisation")
        return Response(
            {
                "changes": saved.changes,
                "proposals": AttendanceProposalSerializer(saved.proposals, many=True).data,
                "attendances": AttendanceSerializer(attendances, many=True).data,
            },
            status=status.HTTP_202_ACCEPTED if saved.proposals else status.HTTP_200_OK,
        )

    @staticmethod
    def check_organisations(ids) -> None:
        from renkei.tenancy.models import Organisation

        if len(set(ids)) != len(ids):
            raise ValidationError({"counts": [_("同じ団体が2回指定されています。")]})
        missing = set(ids) - set(
            Organisation.objects.filter(pk__in=ids).values_list("pk", flat=True)
        )
        if missing:
            raise ValidationError({"counts": [_("存在しない団体が指定されています。")]})


class MunicipalityListView(generics.ListAPIView):
    """The member municipalities of the portal's union, in the order of its 規約."""

    serializer_class = OrganisationSerializer
    pagination_class = None

    @extend_schema(responses={200: OrganisationSerializer(many=True), 400: ERRORS[400]})
    def get(self, request, *args, **kwargs):
        check_query(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        union = portal_union()
        return public.members(union) if union else []


@csrf_exempt  # no state changes; a PUT to an unknown path must still get a JSON 404
def not_found(request, *args, **kwargs):
    response = JsonResponse(
        {"error": {"code": "not_found", "message": _("見つかりません。"), "details": {}}},
        status=404,
    )
    return response


def docs(request):
    """A plain page pointing at the OpenAPI schema (no JavaScript from elsewhere)."""
    return render(request, "api/docs.html", {})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(ObtainAuthToken):
    """POST: exchange a staff user's name and password for an API token (behind the sign-in
    throttle of ``tenancy.signin``; a new token once the old one has expired).
    DELETE: revoke the caller's own token."""

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    @extend_schema(
        request=AuthTokenSerializer,
        responses={200: TokenSerializer, 400: ERRORS[400], 429: ERRORS[429]},
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"token": issue_token(serializer.validated_data["user"]).key})

    @extend_schema(request=None, responses={204: None, 401: ERRORS[401], 403: ERRORS[403]})
    def delete(self, request, *args, **kwargs):
        revoke_api_token(request.user, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
