"""allauth hooks: a new person gets an organization of their own on sign-up."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from marketing.services import organization_create_for_new_user


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):  # type: ignore[no-untyped-def]
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            organization_create_for_new_user(user=user)
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request, sociallogin, form=None):  # type: ignore[no-untyped-def]
        user = super().save_user(request, sociallogin, form=form)
        organization_create_for_new_user(user=user)
        return user
