import pytest

from sandbox.gemini import FakeGemini
from sandbox.gemini_responder import respond


@pytest.fixture
def gemini(settings):
    """The real SDK pointed at the Gemini simulator, answering like sandbox mode."""
    with FakeGemini(responder=respond) as fake:
        settings.GEMINI_API_KEY = "test-key"
        settings.GEMINI_BASE_URL = fake.url
        settings.GENERATION_PROVIDER = "auto"
        yield fake
