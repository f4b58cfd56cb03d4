"""The agency's workspace: every client shop the person can see on one screen, with what
needs action in each (each count linking to the page that fixes it), the next posts,
this month's use and whether the shop is paused.

A fixed number of queries whatever the number of shops: the shops of one page, then one
grouped query each for the pieces, the publications, the accounts, the next posts and the
month's use, joined in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Aggregate, Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from content.approvals import REVIEWABLE
from content.models import ContentPiece, ReviewState
from marketing.limits import COUNTED_CHANNEL, Usage, usage_for
from marketing.models import Business, Membership, Organization, UsageRecord, User
from marketing.quota import month_start
from marketing.selectors import ROLE_RANK, businesses_for_user, organizations_for_user
from publishing.models import ChannelAccount, Publication

PER_PAGE = 50
UPCOMING = 3  # next posts shown per shop
Role = Membership.Role
State = Publication.State
TROUBLE = (State.FAILED, State.NEEDS_ACTION)


@dataclass(frozen=True)
class Filters:
    """What the person narrowed the list to (from the query string; anything unreadable
    is ignored)."""

    search: str = ""
    organization: int | None = None
    needs_action: bool = False
    status: str = ""  # "" | "paused" | "active"

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        raw_org = query.get("organization", "")
        status = query.get("status", "")
        return cls(
            search=query.get("q", "").strip()[:100],
            organization=int(raw_org) if raw_org.isdigit() else None,
            needs_action=query.get("action") == "1",
            status=status if status in ("paused", "active") else "",
        )


@dataclass(frozen=True)
class Tally:
    """A count of something waiting, and the page where it is dealt with."""

    number: int = 0
    url: str = ""


@dataclass
class ShopRow:
    business: Business
    role: str
    in_review: Tally = field(default_factory=Tally)
    changes_requested: Tally = field(default_factory=Tally)
    client_review: Tally = field(default_factory=Tally)
    failed_pieces: Tally = field(default_factory=Tally)
    failed_posts: Tally = field(default_factory=Tally)
    to_paste: Tally = field(default_factory=Tally)
    reconnect: Tally = field(default_factory=Tally)
    upcoming: list[Publication] = field(default_factory=list)
    upcoming_total: int = 0
    pieces_this_month: int = 0
    channels: int = 0  # connected, as the plan counts them

    @property
    def channel_limit(self) -> int | None:
        plan = self.business.organization.plan
        return plan.max_channels if plan else None

    @property
    def can_manage(self) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[Role.MANAGER]

    @property
    def paused(self) -> bool:
        return self.business.paused_at is not None

    @property
    def needs_action(self) -> bool:
        """Anything the agency must do now (pieces waiting on the client wait on them)."""
        return any(
            tally.number
            for tally in (
                self.in_review if self.can_manage else Tally(),
                self.changes_requested,
                self.failed_pieces,
                self.failed_posts,
                self.to_paste,
                self.reconnect,
            )
        )


@dataclass
class Workspace:
    rows: list[ShopRow]
    page: Page
    organizations: list[Organization]
    usage: list[Usage]
    filters: Filters
    can_invite: bool


# --- Which shops -----------------------------------------------------------------------------


def _roles(user: User) -> dict[int, str]:
    return dict(
        Membership.objects.filter(user=user)
        .exclude(role=Role.CLIENT)
        .values_list("organization_id", "role")
    )


def _ahead() -> Q:
    """Pieces that can still go out: planned for later, or not dated."""
    return Q(planned_for__isnull=True) | Q(planned_for__gt=timezone.now())


def _waiting_pieces(**states: object) -> QuerySet[ContentPiece]:
    return ContentPiece.objects.filter(_ahead(), business=OuterRef("pk"), **states)


def needs_action_condition(managed: list[int] | None) -> Q:
    """The shops with something for the agency to do, as one condition in SQL (the same
    things ShopRow.needs_action counts). Pieces in internal review count where the person
    approves: in the organizations ``managed`` (None: everywhere)."""
    reviewable = {"status__in": REVIEWABLE}
    in_review = Q(Exists(_waiting_pieces(review_state=ReviewState.IN_REVIEW, **reviewable)))
    return (
        (in_review if managed is None else in_review & Q(organization_id__in=managed))
        | Q(Exists(_waiting_pieces(review_state=ReviewState.CHANGES_REQUESTED, **reviewable)))
        | Q(Exists(_waiting_pieces(status=ContentPiece.Status.FAILED)))
        | Q(Exists(Publication.objects.filter(piece__business=OuterRef("pk"), state__in=TROUBLE)))
        | Q(
            Exists(
                ChannelAccount.objects.filter(
                    business=OuterRef("pk"), state=ChannelAccount.State.NEEDS_REAUTH
                )
            )
        )
    )


def shops_for(user: User, filters: Filters, roles: dict[int, str]) -> QuerySet[Business]:
    """The shops the person works on (not archived), narrowed by ``filters``; shops with
    something to do come first."""
    managed = [org for org, role in roles.items() if ROLE_RANK[role] >= ROLE_RANK[Role.MANAGER]]
    waiting = needs_action_condition(None if user.is_superuser else managed)
    shops = (
        businesses_for_user(user)  # archived shops are hidden
        .select_related("organization__plan")
        .annotate(waiting=waiting)
    )
    if filters.search:
        shops = shops.filter(name__icontains=filters.search)
    if filters.organization is not None:
        shops = shops.filter(organization_id=filters.organization)
    if filters.status == "paused":
        shops = shops.filter(paused_at__isnull=False)
    elif filters.status == "active":
        shops = shops.filter(paused_at__isnull=True)
    if filters.needs_action:
        shops = shops.filter(waiting=True)
    return shops.order_by("-waiting", "organization__name", "name", "pk")


# --- What each shop has waiting ---------------------------------------------------------------


def _piece_url(pk: int | None) -> str:
    return reverse("owner:piece_review", args=[pk]) if pk else ""


def _piece_tallies(rows: dict[int, ShopRow]) -> None:
    reviewable = Q(status__in=REVIEWABLE)
    kinds = {
        "in_review": reviewable & Q(review_state=ReviewState.IN_REVIEW),
        "changes_requested": reviewable & Q(review_state=ReviewState.CHANGES_REQUESTED),
        "client_review": reviewable & Q(review_state=ReviewState.CLIENT_REVIEW),
        "failed_pieces": Q(status=ContentPiece.Status.FAILED),
    }
    aggregates: dict[str, Aggregate] = {}
    for name, condition in kinds.items():
        aggregates[f"{name}_n"] = Count("pk", filter=condition)
        aggregates[f"{name}_first"] = Min("pk", filter=condition)
    grouped = (
        ContentPiece.objects.filter(_ahead(), business_id__in=rows)
        .values("business_id")
        .annotate(**aggregates)
        .order_by()
    )
    for found in grouped:
        row = rows[found["business_id"]]
        for name in kinds:
            tally = Tally(found[f"{name}_n"], _piece_url(found[f"{name}_first"]))
            setattr(row, name, tally)


def _publication_tallies(rows: dict[int, ShopRow]) -> None:
    grouped = (
        Publication.objects.filter(piece__business_id__in=rows, state__in=TROUBLE)
        .values("piece__business_id")
        .annotate(
            failed=Count("pk", filter=Q(state=State.FAILED)),
            failed_first=Min("pk", filter=Q(state=State.FAILED)),
            paste=Count("pk", filter=Q(state=State.NEEDS_ACTION)),
            paste_first=Min("pk", filter=Q(state=State.NEEDS_ACTION)),
        )
        .order_by()
    )
    for found in grouped:
        business_id = found["piece__business_id"]
        row = rows[business_id]
        schedule = reverse("publications:business", args=[business_id])
        if found["failed"]:
            one = reverse("publications:detail", args=[found["failed_first"]])
            row.failed_posts = Tally(found["failed"], one if found["failed"] == 1 else schedule)
        if found["paste"]:
            one = reverse("publications:assisted", args=[found["paste_first"]])
            row.to_paste = Tally(found["paste"], one if found["paste"] == 1 else schedule)


def _account_tallies(rows: dict[int, ShopRow]) -> None:
    """Accounts to reconnect, and the channels connected (as the plan counts them)."""
    grouped = (
        ChannelAccount.objects.filter(business_id__in=rows)
        .values("business_id")
        .annotate(
            reauth=Count("pk", filter=Q(state=ChannelAccount.State.NEEDS_REAUTH)),
            connected=Count("pk", filter=COUNTED_CHANNEL),
        )
        .order_by()
    )
    for found in grouped:
        row = rows[found["business_id"]]
        row.channels = found["connected"]
        if found["reauth"]:
            url = reverse("publishing:channels", args=[found["business_id"]])
            row.reconnect = Tally(found["reauth"], url)


def _upcoming(rows: dict[int, ShopRow]) -> None:
    """The next few scheduled posts of every shop in one query (a window per shop)."""
    shop = [F("piece__business_id")]
    publications = (
        Publication.objects.filter(
            piece__business_id__in=rows,
            state=State.SCHEDULED,
            scheduled_at__gte=timezone.now(),
        )
        .select_related("piece")
        .annotate(
            position=Window(RowNumber(), partition_by=shop, order_by=[F("scheduled_at"), F("pk")]),
            ahead=Window(Count("pk"), partition_by=shop),
        )
        .filter(position__lte=UPCOMING)
        .order_by("scheduled_at", "pk")
    )
    for publication in publications:
        row = rows[publication.piece.business_id]
        row.upcoming.append(publication)
        row.upcoming_total = publication.ahead  # type: ignore[attr-defined]


def _pieces_this_month(rows: dict[int, ShopRow]) -> None:
    grouped = (
        UsageRecord.objects.filter(
            business_id__in=rows, kind=UsageRecord.Kind.PIECE, created_at__gte=month_start()
        )
        .values("business_id")
        .annotate(used=Sum("quantity"))
        .order_by()
    )
    for found in grouped:
        rows[found["business_id"]].pieces_this_month = found["used"] or 0


def rows_for(
    businesses: list[Business], roles: dict[int, str], *, superuser: bool
) -> list[ShopRow]:
    rows = {
        b.pk: ShopRow(b, Role.OWNER if superuser else roles.get(b.organization_id, Role.STAFF))
        for b in businesses
    }
    if rows:
        _piece_tallies(rows)
        _publication_tallies(rows)
        _account_tallies(rows)
        _upcoming(rows)
        _pieces_this_month(rows)
    return list(rows.values())


def workspace_for(user: User, filters: Filters, page_number: str | int = 1) -> Workspace:
    roles = _roles(user)
    organizations = list(
        organizations_for_user(user).select_related("plan").order_by("name")[:PER_PAGE]
    )
    # The plan's figures of the organizations the person belongs to (a few queries each;
    # an operator's workspace over every organization leaves them out).
    usage = [usage_for(organization) for organization in organizations if organization.pk in roles]
    paginator = Paginator(shops_for(user, filters, roles), PER_PAGE)
    page = paginator.get_page(page_number)
    rows = rows_for(list(page.object_list), roles, superuser=user.is_superuser)
    can_invite = user.is_superuser or any(
        ROLE_RANK[role] >= ROLE_RANK[Role.MANAGER] for role in roles.values()
    )
    return Workspace(
        rows=rows,
        page=page,
        organizations=organizations,
        usage=usage,
        filters=filters,
        can_invite=can_invite,
    )


def shows_workspace(user: User) -> bool:
    """The top bar's 워크스페이스 link: for people in an agency or with more than one shop."""
    memberships = Membership.objects.filter(user=user).exclude(role=Role.CLIENT)
    found = memberships.aggregate(
        agencies=Count("pk", filter=Q(organization__kind=Organization.Kind.AGENCY), distinct=True),
        shops=Count(
            "organization__businesses",
            filter=Q(organization__businesses__archived_at__isnull=True),
        ),
    )
    return bool(found["agencies"]) or (found["shops"] or 0) > 1


def shops_by_id(user: User, ids: list[int]) -> list[Business]:
    """The selected shops among those the person works on (others are silently left out)."""
    return list(
        businesses_for_user(user)
        .filter(pk__in=ids)
        .select_related("organization")
        .order_by("name", "pk")
    )
