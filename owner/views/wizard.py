"""The first-run wizard's screens, one step each, every step saved as it is left."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from content.media_inputs import photos_add
from core.forms import add_errors
from marketing.models import Business
from marketing.selectors import businesses_for_user, signed_in_user
from owner import wizard
from owner.forms import FirstWeekForm, ShopForm

Step = Business.SetupStep
URLS = {
    Step.PHOTOS: "owner:start_photos",
    Step.MENU: "owner:start_menu",
    Step.CHANNELS: "owner:start_channels",
    Step.CAMPAIGN: "owner:start_campaign",
}


def _business(request: HttpRequest, pk: int) -> Business:
    return get_object_or_404(businesses_for_user(request.user), pk=pk)


def _next(business: Business) -> HttpResponse:
    if business.setup_step == Step.DONE:
        return redirect("marketing:business_detail", pk=business.pk)
    return redirect(URLS[Step(business.setup_step)], pk=business.pk)


def _page(request: HttpRequest, step: str, context: dict, status: int = 200) -> HttpResponse:
    keys = [key for key, _label in wizard.STEPS]
    context = {
        **context,
        "steps": [(key, label, keys.index(key) < keys.index(step)) for key, label in wizard.STEPS],
        "step": step,
        "number": keys.index(step) + 1,
        "total": len(keys),
    }
    return render(request, f"owner/wizard/{step}.html", context, status=status)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Step 1, or where the owner left off."""
    left = wizard.unfinished(signed_in_user(request.user))
    if request.method == "GET" and left is not None and "new" not in request.GET:
        return _next(left)
    form = ShopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            business = wizard.start(user=signed_in_user(request.user), **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _next(business)
    status = 400 if form.errors else 200
    return _page(request, "shop", {"form": form}, status)


@login_required
def photos(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk)
    if request.method == "POST":
        if request.POST.get("skip"):
            wizard.advance(business, Step.PHOTOS)
            return _next(business)
        files = request.FILES.getlist("photos")
        result = photos_add(business=business, uploads=files, actor=signed_in_user(request.user))
        for reason in result.refused:
            messages.error(request, reason)
        if not files:
            messages.error(request, _("올릴 사진을 골라 주세요. 없으면 건너뛰어도 돼요."))
        if result.added:
            messages.success(
                request,
                _("사진 %(count)s장을 올렸어요. 사진 속 강점을 살펴보고 있어요.")
                % {"count": len(result.added)},
            )
            wizard.advance(business, Step.PHOTOS)
            return _next(business)
    context = {"business": business, "photos": business.photos.order_by("-created_at")[:12]}
    return _page(request, "photos", context)


@login_required
def menu(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk)
    rows: list[tuple[str, str]] = []
    problems: list[str] = []
    photos = [p for p in business.photos.select_related("analysis") if hasattr(p, "analysis")]
    seen = wizard.products_seen(photos, business)
    if request.method == "POST" and request.POST.get("accept"):
        # One tap on a menu item the photos showed: it joins the menu, the step stays.
        name = request.POST["accept"]
        if name in seen:
            wizard.add_products(business, [wizard.QuickProduct(name, None)])
            messages.success(request, _("메뉴에 넣었어요: %(name)s") % {"name": name})
        return redirect("owner:start_menu", pk=pk)
    if request.method == "POST":
        names, prices = request.POST.getlist("name"), request.POST.getlist("price")
        rows = list(zip(names, prices, strict=False))
        products, problems = wizard.parse_products(rows)
        if not problems:
            wizard.add_products(business, products)
            wizard.advance(business, Step.MENU)
            return _next(business)
    memo = business.voice_memos.order_by("-created_at").first()
    suggested = wizard.memo_suggestions(memo)
    if not rows:
        rows = [(p.name, "") for p in suggested]
    rows += [("", "")] * max(0, 3 - len(rows))
    analyses = [
        (photo, point)
        for photo in photos
        for point in photo.analysis.selling_points[:2]
        if point not in (business.selling_points or [])
    ]
    context = {
        "business": business,
        "rows": rows,
        "problems": problems,
        "points": analyses[:8],
        "seen": seen,
        "analysing": any(not p.analysis.description and not p.analysis.error for p in photos),
        # Why no strengths came (no Gemini connection, say): said once, not per photo.
        "analysis_error": next((p.analysis.error for p in photos if p.analysis.error), ""),
        "memo": memo,
        "products": business.products.filter(is_active=True)[:20],
    }
    return _page(request, "menu", context, 400 if problems else 200)


@login_required
def channels(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk)
    if request.method == "POST":
        if request.POST.get("trial"):
            connected, problems, notes = wizard.connect_trial_accounts(
                business, signed_in_user(request.user)
            )
            for problem in problems:
                messages.error(request, problem)
            for note in notes:
                messages.info(request, note)
            if connected:
                messages.success(
                    request,
                    _("체험용 계정을 연결했어요: %(names)s") % {"names": ", ".join(connected)},
                )
            if problems:
                return redirect("owner:start_channels", pk=pk)
        wizard.advance(business, Step.CHANNELS)
        return _next(business)
    context = {
        "business": business,
        "accounts": business.channel_accounts.all(),
        "sandbox": wizard.sandbox_available(),
    }
    return _page(request, "channels", context)


@login_required
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk)
    memo = business.voice_memos.order_by("-created_at").first()
    form = FirstWeekForm(request.POST or None, initial=wizard.memo_brief(memo))
    if request.method == "POST" and form.is_valid():
        try:
            created = wizard.first_week(
                business=business, user=signed_in_user(request.user), **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("한 주 게시물을 쓰기 시작했어요. 다 되면 하나씩 검토하고 승인해 주세요."),
            )
            return redirect("campaigns:detail", pk=created.pk)
    context = {"business": business, "form": form}
    return _page(request, "campaign", context, 400 if form.errors else 200)
