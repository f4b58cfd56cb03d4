"""The embedded broker: kombu's filesystem transport, so a laptop needs no server."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

EMBEDDED_BROKER_URL = "filesystem://"
FOLDER_OPTIONS = ("data_folder_in", "data_folder_out", "control_folder")


def filesystem_transport_options(
    root: Path, *, polling_interval_s: float = 0.5
) -> dict[str, object]:
    """Transport options for a filesystem broker rooted at ``root`` (nothing is created:
    ``filesystem_folders_create`` makes the folders before first use)."""
    queue, control = root / "queue", root / "control"
    return {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(control),
        "store_processed": False,
        "polling_interval": polling_interval_s,  # seconds between looks at the queue folder
    }


def filesystem_folders_create(options: Mapping[str, object]) -> None:
    """Create a filesystem broker's folders: kombu writes into them but never makes them."""
    for name in FOLDER_OPTIONS:
        Path(str(options[name])).mkdir(parents=True, exist_ok=True)
