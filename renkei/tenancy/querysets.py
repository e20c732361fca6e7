"""The one queryset method that limits any query to what a user may see (NetBox's
``RestrictedQuerySet.restrict``): ``Activity.objects.filter(...).restrict(user)``. The rule
itself is ``permissions.scope``; the permission table stays its one statement."""

from typing import TypeVar

from django.db import models

from .permissions import scope

_M = TypeVar("_M", bound=models.Model)


class RestrictedQuerySet(models.QuerySet[_M]):
    def restrict(self, user):
        """The part of this queryset ``user`` may see: their union's records (partner
        staff: the partnership's activities and their parts); nothing for anyone else."""
        return scope(self, user)
