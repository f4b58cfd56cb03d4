"""The embedded broker: kombu's filesystem transport, so a laptop needs no server."""

from __future__ import annotations

from pathlib import Path

EMBEDDED_BROKER_URL = "filesystem://"


def filesystem_transport_options(root: Path) -> dict[str, object]:
    """Transport options for a filesystem broker rooted at ``root`` (folders are created)."""
    queue, control = root / "queue", root / "control"
    for folder in (queue, control):
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(control),
        "store_processed": False,
        "polling_interval": 0.5,  # seconds between looks at the queue folder
    }
