"""The SEMAS client against FakeSemas, over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.http import http_session
from marketing.semas import SemasClient, SemasError
from sandbox.semas import YEONNAM, FakeSemas, point_at
from sandbox.server import Reply

KEY = "test-key"
LON, LAT = YEONNAM


@pytest.fixture
def semas() -> Iterator[FakeSemas]:
    with FakeSemas(service_key=KEY, seed=7) as fake:
        yield fake


@pytest.fixture
def empty_semas() -> Iterator[FakeSemas]:
    with FakeSemas(service_key=KEY, density=0) as fake:
        yield fake


def _client(fake: FakeSemas, key: str = KEY) -> SemasClient:
    return SemasClient(fake.url, key, http_session())


def test_it_reads_every_page_of_a_busy_neighbourhood(semas: FakeSemas):
    expected = semas.stores_within(LON, LAT, 1000)
    assert len(expected) > 1000  # the seeded world needs two pages

    stores = _client(semas).stores_in_radius(LON, LAT, 1000)

    assert [store.id for store in stores] == [item["bizesId"] for item in expected]
    pages = semas.requests_to(r"/storeListInRadius")
    assert [request.param("pageNo") for request in pages] == ["1", "2"]
    assert {request.param("numOfRows") for request in pages} == {"1000"}
    assert {request.param("type") for request in pages} == {"json"}


def test_it_sends_the_point_the_radius_and_the_class_filter(semas: FakeSemas):
    stores = _client(semas).stores_in_radius(LON, LAT, 500, small="I21201")

    [request] = semas.requests
    assert float(request.param("cx")) == pytest.approx(LON)
    assert float(request.param("cy")) == pytest.approx(LAT)
    assert request.param("radius") == "500"
    assert request.param("indsSclsCd") == "I21201"
    assert request.param("indsMclsCd") is None
    assert stores and {store.small_name for store in stores} == {"카페"}


def test_stores_carry_trimmed_names_and_numeric_coordinates(empty_semas: FakeSemas):
    lon, lat = point_at(LON, LAT, 120, 45)
    empty_semas.add_store("I21201", lon, lat, name="연남 라떼", brchNm="연남점")

    [store] = _client(empty_semas).stores_in_radius(LON, LAT, 300)

    assert store.name == "연남 라떼"
    assert store.branch == "연남점"
    assert (store.large_code, store.medium_code, store.small_code) == ("I2", "I212", "I21201")
    assert store.medium_name == "비알코올"  # SEMAS sends "비알코올 " with a trailing space
    assert store.adong == "연남동"
    assert (store.lon, store.lat) == (pytest.approx(lon), pytest.approx(lat))


def test_no_data_is_an_empty_list_not_an_error(empty_semas: FakeSemas):
    assert _client(empty_semas).stores_in_radius(LON, LAT, 1000) == []
    assert len(empty_semas.requests) == 1


def test_a_single_store_sent_as_a_bare_object_is_read(empty_semas: FakeSemas):
    item = empty_semas.add_store("G20405", LON, LAT)
    body = {"items": item, "numOfRows": 1000, "pageNo": 1, "totalCount": 1}
    empty_semas.script(Reply(body={"header": {"resultCode": "00"}, "body": body}))

    [store] = _client(empty_semas).stores_in_radius(LON, LAT, 100)

    assert store.small_name == "편의점"


def test_an_unregistered_key_is_a_permanent_error(semas: FakeSemas):
    with pytest.raises(SemasError) as raised:
        _client(semas, key="not-the-key").stores_in_radius(LON, LAT, 1000)

    assert raised.value.permanent
    assert "SERVICE_KEY_IS_NOT_REGISTERED_ERROR" in raised.value.detail
    assert "인증키" in raised.value.message


def test_a_url_encoded_key_is_sent_once_encoded_not_twice(semas: FakeSemas):
    semas.service_key = "abc+def/ghi=="

    _client(semas, key="abc%2Bdef%2Fghi%3D%3D").stores_in_radius(LON, LAT, 100)

    assert semas.requests[0].param("serviceKey") == "abc+def/ghi=="


def test_http_429_is_a_transient_error(semas: FakeSemas):
    semas.throttle_next()

    with pytest.raises(SemasError) as raised:
        _client(semas).stores_in_radius(LON, LAT, 1000)

    assert not raised.value.permanent
    assert "429" in raised.value.detail
    assert _client(semas).stores_in_radius(LON, LAT, 100)  # the next call goes through


def test_a_5xx_is_a_transient_error(semas: FakeSemas):
    semas.script(Reply(status=502, body="Bad Gateway"))

    with pytest.raises(SemasError) as raised:
        _client(semas).stores_in_radius(LON, LAT, 1000)

    assert not raised.value.permanent


def test_a_timeout_is_a_transient_error(semas: FakeSemas, settings):
    settings.HTTP_READ_TIMEOUT_S = 0.2
    semas.delay_s = 1.0

    with pytest.raises(SemasError) as raised:
        _client(semas).stores_in_radius(LON, LAT, 1000)

    assert not raised.value.permanent
    assert "timeout" in raised.value.detail


def test_a_refused_connection_is_transient_and_does_not_leak_the_key():
    with FakeSemas(service_key="secret+key/1=") as gone:
        client = _client(gone, key="secret+key/1=")
    # The simulator has stopped: nothing listens on its port any more.

    with pytest.raises(SemasError) as raised:
        client.stores_in_radius(LON, LAT, 1000)

    assert not raised.value.permanent
    assert "storeListInRadius" in raised.value.detail
    assert "secret" not in raised.value.detail
    assert "secret" not in str(raised.value)


def test_a_rejected_parameter_is_a_permanent_error(semas: FakeSemas):
    semas.script(Reply(body={"header": {"resultCode": "10", "resultMsg": "INVALID_REQUEST"}}))

    with pytest.raises(SemasError) as raised:
        _client(semas).stores_in_radius(LON, LAT, 1000)

    assert raised.value.permanent
    assert raised.value.detail == "10 INVALID_REQUEST"


def test_a_busy_gateway_in_xml_is_transient(semas: FakeSemas):
    busy = (
        "<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg>"
        "<returnAuthMsg>LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR</returnAuthMsg>"
        "<returnReasonCode>22</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>"
    )
    semas.script(Reply(body=busy, content_type="text/xml"))

    with pytest.raises(SemasError) as raised:
        _client(semas).stores_in_radius(LON, LAT, 1000)

    assert not raised.value.permanent
    assert raised.value.detail.startswith("22 ")
