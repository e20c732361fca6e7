"""The secretariat's list of members' proposed attendance changes to a closed or reported
year: approve, or reject with a comment the proposer sees."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from renkei.forms import ascii_int
from renkei.programmes.attendance import attendance_value_text
from renkei.programmes.models import AttendanceProposal, ProposalState
from renkei.programmes.services import decide_attendance_proposal
from renkei.staff.attendance_rows import saved_values
from renkei.staff.forms import ProposalDecisionForm
from renkei.tenancy.permissions import Action

from .common import profile, require, scoped, service_errors


def pending_attendance_proposals(user):
    """The union's pending proposals the user may see, oldest first, with what a row
    shows prefetched."""
    return (
        AttendanceProposal.objects.filter(state=ProposalState.PENDING)
        .restrict(user)
        .select_related(
            "organisation",
            "proposed_by",
            "activity__group__programme",
            "activity__group__programme__fiscal_year",
        )
        .prefetch_related("activity__attendances")
        .order_by("proposed_at", "pk")
    )


def _decide(request):
    proposal = scoped(
        AttendanceProposal.objects.select_related("activity", "organisation"),
        request.user,
        pk=ascii_int(request.POST.get("proposal")) or 0,
    )
    form = ProposalDecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return
    with service_errors() as refusal:
        decide_attendance_proposal(
            proposal, request.user, approve=approve, comment=form.cleaned_data["comment"]
        )
    if refusal.error:
        messages.error(
            request,
            _("%(org)s「%(title)s」: %(message)s")
            % {
                "org": proposal.organisation.label,
                "title": proposal.activity.title,
                "message": refusal.error.message,
            },
        )
        return
    done = _("承認しました") if approve else _("却下しました")
    messages.success(
        request,
        _("%(org)s「%(title)s」の提案を%(done)s。")
        % {"org": proposal.organisation.label, "title": proposal.activity.title, "done": done},
    )


@login_required
def attendance_proposals(request):
    """GET lists the pending proposals; POST (``proposal``, ``decision``, ``comment``)
    decides one and comes back to the list."""
    staff = profile(request)
    require(request.user, Action.EDIT_YEAR, staff.union)
    if request.method == "POST":
        _decide(request)
        return redirect("staff:attendance_proposals")
    proposals = list(pending_attendance_proposals(request.user))
    rows = [
        (
            p,
            attendance_value_text(saved_values(p.activity).get(p.organisation_id))
            or _("（記録なし）"),
        )
        for p in proposals
    ]
    return render(request, "staff/attendance_proposals.html", {"rows": rows})
