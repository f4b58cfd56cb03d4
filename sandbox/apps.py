from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """The simulators' management commands (``manage.py sandbox``, ``platform_sandbox``).

    Listed last in INSTALLED_APPS: the simulators import the product, never the reverse.
    """

    name = "sandbox"
