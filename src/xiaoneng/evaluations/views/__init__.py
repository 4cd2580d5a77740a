"""Staff pages of the evaluations app (评议考评), in Chinese; reads through ``selectors``."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import selectors
from ..vocab import ConsequenceStatus
from .common import crumbs


@login_required
def home(request):
    user = request.user
    surveys = selectors.surveys_for(user)
    rounds = selectors.rounds_for(user)
    pending = selectors.pending_consequences(user).count()
    files = selectors.ethics_files_for(user)
    return render(
        request,
        "evaluations/home.html",
        {
            "title": crumbs()[0][0],
            "surveys": list(surveys[:5]),
            "survey_count": surveys.count(),
            "rounds": list(rounds[:5]),
            "round_count": rounds.count(),
            "pending": pending,
            "files_open": files.filter(grade="").count(),
            "files_total": files.count(),
            "may_manage": selectors.may_manage(user),
            "confirmed": selectors.consequences_for(user)
            .filter(status=ConsequenceStatus.CONFIRMED)
            .count(),
            "breadcrumbs": [(crumbs()[0][0], None)],
        },
    )
