"""The fault switchboard every platform simulator shares."""

from __future__ import annotations

import pytest

from sandbox.faults import Faults, operation

PUBLISH = operation("publish", "media_publish", kinds=("quota_exceeded",))
STATUS = operation("status", "container_status")
CREATE = operation("create", "media", kinds=("container_error", "media_unfetchable"))
OAUTH = operation("oauth", authenticated=False)


def test_a_queued_fault_is_served_as_many_times_as_asked():
    faults = Faults()
    faults.add("server_error", times=2)

    drawn = [faults.draw(STATUS) for _ in range(3)]

    assert [fault.kind if fault else None for fault in drawn] == [
        "server_error",
        "server_error",
        None,
    ]
    assert faults.fired == {"server_error": 2}


def test_a_targeted_fault_waits_for_its_operation():
    faults = Faults()
    faults.add("lost_response", operation="media_publish")

    assert faults.draw(STATUS) is None
    assert faults.draw(PUBLISH).kind == "lost_response"
    assert faults.pending == 0


def test_a_platform_specific_fault_waits_for_an_operation_that_can_suffer_it():
    faults = Faults()
    faults.add("container_error")

    assert faults.draw(STATUS) is None
    assert faults.draw(PUBLISH) is None
    assert faults.draw(CREATE).kind == "container_error"


def test_a_revoked_token_never_lands_on_an_unauthenticated_call():
    faults = Faults()
    faults.add("revoked_token")

    assert faults.draw(OAUTH) is None
    assert faults.draw(STATUS).kind == "revoked_token"


def test_queued_faults_come_oldest_first_and_keep_their_options():
    faults = Faults()
    faults.add("timeout", hold_s=0.1)
    faults.add("server_error", status=503)

    first, second = faults.draw(STATUS), faults.draw(STATUS)

    assert (first.kind, first.option("hold_s", 9)) == ("timeout", 0.1)
    assert (second.kind, second.option("status", 500)) == ("server_error", 503)


def test_rates_are_seeded_and_can_target_one_operation():
    def draws(seed: int) -> list[str | None]:
        faults = Faults(seed=seed)
        faults.rates = {"server_error": 0.3, "lost_response@publish": 0.3}
        return [
            (fault.kind if (fault := faults.draw(op)) else None) for op in [STATUS, PUBLISH] * 100
        ]

    first = draws(3)

    assert first == draws(3)
    assert first != draws(4)
    assert "lost_response" not in first[0::2]  # status reads never lose a publish response
    assert "lost_response" in first[1::2]
    assert 0.15 < first[0::2].count("server_error") / 100 < 0.45


@pytest.mark.parametrize(
    "rates", [{"gremlins": 0.1}, {"server_error": 1.5}, {"server_error": -0.1}]
)
def test_bad_rates_are_refused(rates):
    with pytest.raises(ValueError):
        Faults().rates = rates


def test_an_option_a_kind_does_not_take_is_refused_not_ignored():
    faults = Faults()
    faults.add("timeout", timeout_s=0.2)  # an alias of hold_s

    with pytest.raises(ValueError, match="hold_s"):
        faults.add("timeout", hold=0.2)
    with pytest.raises(ValueError, match="takes no option"):
        faults.configure({"kind": "server_error", "retry_after_s": 3})


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown fault kind"):
        Faults().add("gremlins")


def test_a_json_payload_configures_everything_or_nothing():
    faults = Faults()
    faults.configure(
        {
            "seed": 9,
            "rates": {"server_error": 0.1},
            "add": [
                {"kind": "rate_limited", "times": 2, "operation": "publish", "retry_after_s": 4}
            ],
            "timeout_s": 0.5,
            "retry_after_s": 2,
            "lost_response_drop": True,
        }
    )

    with pytest.raises(ValueError):
        faults.configure({"clear": True, "add": [{"kind": "gremlins"}]})

    snapshot = faults.snapshot()
    assert snapshot["queue"] == [
        {"kind": "rate_limited", "operation": "publish", "times": 2, "retry_after_s": 4}
    ]
    assert snapshot["rates"] == {"server_error": 0.1}
    assert (snapshot["seed"], snapshot["timeout_s"], snapshot["retry_after_s"]) == (9, 0.5, 2.0)
    assert faults.lost_response_drop is True


def test_clear_forgets_queue_and_rates():
    faults = Faults()
    faults.add("server_error")
    faults.rates = {"timeout": 1.0}

    faults.clear()

    assert faults.draw(STATUS) is None
