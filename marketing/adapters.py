"""allauth hooks: a new person gets an organization of their own on sign-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.http import HttpRequest

from marketing.models import User
from marketing.services import organization_create_for_new_user

if TYPE_CHECKING:
    from allauth.socialaccount.models import SocialLogin


class AccountAdapter(DefaultAccountAdapter):
    def save_user(
        self, request: HttpRequest, user: User, form: forms.Form, commit: bool = True
    ) -> User:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            organization_create_for_new_user(user=user)
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(
        self, request: HttpRequest, sociallogin: SocialLogin, form: forms.Form | None = None
    ) -> User:
        user = super().save_user(request, sociallogin, form=form)
        organization_create_for_new_user(user=user)
        return user
