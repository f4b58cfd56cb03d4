"""From a claimed publication to the platform call's input: the ``PublishJob`` (with
its recorder and saver) and the checks made before calling, all platform-neutral:
what differs per platform is read from its publisher class (``publishing.publishers``).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from content.models import Asset
from publishing.media import check_media_url, public_url
from publishing.models import ChannelAccount, Publication, PublishAttempt
from publishing.publishers import publisher_class, publisher_for
from publishing.publishers.base import (
    CallRecord,
    Credentials,
    ErrorKind,
    Media,
    PublishError,
    PublishJob,
    Quota,
    QuotaRule,
)
from publishing.publishers.post import PostContent

logger = logging.getLogger(__name__)
State = Publication.State
OUTCOME_OF = {
    ErrorKind.TRANSIENT: PublishAttempt.Outcome.TRANSIENT,
    ErrorKind.PERMANENT: PublishAttempt.Outcome.PERMANENT,
    ErrorKind.AUTH: PublishAttempt.Outcome.AUTH,
}


# --- Recording --------------------------------------------------------------------------


def _recorder(
    publication_id: int, *, keeps_alive: bool = True
) -> Callable[[str, dict[str, Any]], AbstractContextManager[CallRecord]]:
    @contextmanager
    def record(action: str, summary: dict[str, Any]) -> Iterator[CallRecord]:
        now = timezone.now()
        if keeps_alive:
            # A live run keeps pushing its deadline: the reaper only takes over a silent one.
            Publication.objects.filter(pk=publication_id).update(state_changed_at=now)
        number = (
            PublishAttempt.objects.filter(publication_id=publication_id).aggregate(n=Max("number"))[
                "n"
            ]
            or 0
        ) + 1
        attempt = PublishAttempt.objects.create(
            publication_id=publication_id,
            number=number,
            action=action,
            request_summary=summary,
        )
        started, result = time.monotonic(), CallRecord()
        outcome, error = PublishAttempt.Outcome.SUCCEEDED, ""
        try:
            yield result
        except PublishError as exc:
            outcome, error = OUTCOME_OF[exc.kind], str(exc)
            result.status = result.status or exc.status
            raise
        except Exception as exc:
            outcome, error = PublishAttempt.Outcome.TRANSIENT, f"{type(exc).__name__}: {exc}"
            raise
        finally:
            PublishAttempt.objects.filter(pk=attempt.pk).update(
                finished_at=timezone.now(),
                outcome=outcome,
                error=error[:2000],
                response_status=result.status,
                duration_ms=int((time.monotonic() - started) * 1000),
                request_summary={**summary, **result.summary},
            )

    return record


def _saver(publication_id: int) -> Callable[[str, dict[str, Any]], None]:
    def save(container_id: str, progress: dict[str, Any]) -> None:
        Publication.objects.filter(pk=publication_id).update(
            container_id=container_id, progress=progress, state_changed_at=timezone.now()
        )

    return save


# --- The job -----------------------------------------------------------------------------


def build_job(publication: Publication, post: PostContent) -> PublishJob:
    account = publication.channel_account
    assert account is not None
    sandbox = account.mode == ChannelAccount.Mode.SANDBOX
    publisher = publisher_class(account.platform)
    media = [
        Media(
            kind=kind,
            url=public_url(asset),
            mime_type=asset.mime_type,
            size_bytes=asset.size_bytes,
            path=_local_path(asset),
            width=asset.width,
            height=asset.height,
            duration_s=asset.duration_s,
        )
        for kind, asset in post.assets
    ]
    return PublishJob(
        publication_id=publication.pk,
        platform=account.platform,
        format=post.format,
        text=publisher.post_text(post, public_url),
        title=post.title,
        tags=post.tags,
        alt_text=post.alt_text,
        media=media,
        endpoints=publisher.endpoints(sandbox),
        credentials=Credentials(
            access_token=account.access_token,
            user_id=account.external_id,
            username=account.display_name or account.external_id,
            api_password=account.api_password,
        ),
        scheduled_at=publication.scheduled_at,
        container_id=publication.container_id,
        progress=dict(publication.progress or {}),
        saver=_saver(publication.pk),
        recorder=_recorder(publication.pk),
    )


def collection_job(publication: Publication) -> PublishJob:
    """The job a collector reads a published post's numbers with: the account's endpoints
    and token, the post's format, and every call recorded as a PublishAttempt of the
    publication (without touching its state)."""
    account = publication.channel_account
    assert account is not None
    publisher = publisher_class(account.platform)
    return PublishJob(
        publication_id=publication.pk,
        platform=account.platform,
        format=publisher.post(publication.piece).format,
        text="",
        endpoints=publisher.endpoints(account.mode == ChannelAccount.Mode.SANDBOX),
        credentials=Credentials(access_token=account.access_token, user_id=account.external_id),
        recorder=_recorder(publication.pk, keeps_alive=False),
    )


def remember_refused_metrics(account: ChannelAccount, refused: frozenset[str]) -> None:
    """Keep the metric names the platform refused for ``account`` (only ever adds)."""
    known = set(account.refused_metrics or [])
    if refused <= known:
        return
    account.refused_metrics = sorted(known | refused)
    ChannelAccount.objects.filter(pk=account.pk).update(refused_metrics=account.refused_metrics)


def _local_path(asset: Asset) -> Path | None:
    try:
        return Path(asset.file.path)
    except (NotImplementedError, ValueError):  # remote storage: the publisher streams the URL
        return None


# --- Checks before calling ---------------------------------------------------------------


def check_quota(publication: Publication, job: PublishJob, now: dt.datetime) -> None:
    """Raise a transient 'quota' PublishError when this account (or, for a per-project
    limit, the platform's API accounts together) has used its posts for the platform's
    window; the platform's live count wins where it reports one."""
    account = publication.channel_account
    rule = publisher_class(account.platform).quota if account is not None else None
    if account is None or rule is None:
        return
    if job.container_id:  # resuming or polling what was already started spends nothing new
        return
    limit = getattr(settings, rule.setting)
    start = rule.window.start(now)
    counted = _posts_counted(account, rule, start).exclude(pk=publication.pk)
    used = counted.count()
    live = _live_quota(job)
    if live is not None:
        used, limit = max(used, live.used), live.limit
    if used < limit:
        return
    frees_at = rule.window.frees_at(
        now,
        lambda: (
            counted.filter(state=State.PUBLISHED)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        ),
    )
    local = timezone.localtime(frees_at, ZoneInfo(publication.piece.business.time_zone))
    raise PublishError(
        f"{rule.wording.format(limit=limit)}. {local:%m월 %d일 %H:%M}에 자동으로 다시 올립니다.",
        kind=ErrorKind.TRANSIENT,
        code="quota",
        detail=f"{used}/{limit} used since {start.isoformat()}",
        retry_after_s=max(60.0, (frees_at - now).total_seconds()),
    )


def check_collect_units(publication: Publication, now: dt.datetime) -> None:
    """Raise a transient 'quota' PublishError when a collect now would eat into the API
    units the platform's posts still need today (``UnitBudget``): units left after the
    window's posts and recorded unit-costing calls must cover the collect, the posts
    still allowed today and the reserve. Counted like posts are (per project for API
    accounts of a per-project limit, per account otherwise)."""
    account = publication.channel_account
    publisher = publisher_class(account.platform) if account is not None else None
    budget, rule = (publisher.units, publisher.quota) if publisher else (None, None)
    if account is None or budget is None or rule is None:
        return
    start = rule.window.start(now)
    posts = _posts_counted(account, rule, start).count()
    reads = PublishAttempt.objects.filter(
        publication__in=_of_accounts(Publication.objects.all(), account, rule),
        action__in=budget.unit_actions,
        started_at__gte=start,
    ).count()
    per_day, post_units, reserve, posts_a_day = (
        getattr(settings, name)
        for name in (
            budget.units_setting,
            budget.post_units_setting,
            budget.reserve_setting,
            rule.setting,
        )
    )
    left = per_day - posts * post_units - reads
    kept = max(0, posts_a_day - posts) * post_units + reserve
    if left - budget.collect_units >= kept:
        return
    frees_at = rule.window.frees_at(now)
    local = timezone.localtime(frees_at, ZoneInfo(publication.piece.business.time_zone))
    raise PublishError(
        f"오늘 남은 {account.get_platform_display()} API 사용량은 게시에 남겨 두었어요. "
        f"성과는 {local:%m월 %d일 %H:%M}부터 다시 읽어요.",
        kind=ErrorKind.TRANSIENT,
        code="quota",
        detail=(
            f"{reads} reads + {posts} posts x {post_units} of {per_day} units since "
            f"{start.isoformat()}; {kept} kept for posts"
        ),
        retry_after_s=max(60.0, (frees_at - now).total_seconds()),
    )


def _posts_counted(account: ChannelAccount, rule: QuotaRule, start: dt.datetime) -> Any:
    """The posts a quota rule counts in its window from ``start`` (processing ones too)."""
    posts = Publication.objects.filter(
        Q(state=State.PUBLISHED, published_at__gte=start) | Q(state=State.PROCESSING)
    )
    return _of_accounts(posts, account, rule)


def _of_accounts(publications: Any, account: ChannelAccount, rule: QuotaRule) -> Any:
    """Those of the accounts that share ``account``'s limit: the platform's API accounts
    for a per-project rule, else the account alone."""
    if rule.per_project and account.mode == ChannelAccount.Mode.API:
        return publications.filter(
            channel_account__platform=account.platform,
            channel_account__mode=ChannelAccount.Mode.API,
        )
    return publications.filter(channel_account=account)


def _live_quota(job: PublishJob) -> Quota | None:
    try:
        return publisher_for(job.platform).live_quota(job)
    except PublishError as exc:
        if exc.kind is ErrorKind.AUTH:  # no point creating anything with a dead token
            raise
        # The count above still protects the account.
        logger.info("live quota read failed for publication %s: %s", job.publication_id, exc)
        return None


def check_media(job: PublishJob, sandbox: bool, post: PostContent) -> None:
    needed = publisher_class(job.platform).media_needed.get(job.format, 0)
    if len(job.media_of("image", "video")) < needed:
        raise PublishError(
            "게시할 사진이나 영상이 아직 만들어지지 않았습니다. 콘텐츠 화면에서 제작 상태를 확인한 뒤 다시 시도해 주세요.",
            kind=ErrorKind.PERMANENT,
            code="media_missing",
        )
    if job.container_id:  # the platform already has the media
        return
    for media in job.media:
        check_media_url(
            media.url, mime_type=media.mime_type, size_bytes=media.size_bytes, allow_private=sandbox
        )


def account_job(account: ChannelAccount) -> PublishJob:
    """The job an account-level read (its followers) is made with: the account's
    endpoints and token, no publication, nothing recorded."""
    publisher = publisher_class(account.platform)
    return PublishJob(
        publication_id=0,
        platform=account.platform,
        format="",
        text="",
        endpoints=publisher.endpoints(account.mode == ChannelAccount.Mode.SANDBOX),
        credentials=Credentials(access_token=account.access_token, user_id=account.external_id),
    )
