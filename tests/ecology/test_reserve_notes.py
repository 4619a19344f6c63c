"""A note about a whole reserve (nested zones cut into disjoint ones) names the file and
the reserve, not a feature "—"."""

from __future__ import annotations

import datetime as dt

from ecoplan.ecology.spatial.generate import generate
from ecoplan.ecology.spatial.layers import layer_from_frame


def test_reserve_note_reads_without_a_feature() -> None:
    syn = generate(1, 1)
    lay = layer_from_frame(
        syn.zones, kind="protected_area", layer_id="pa", valid_from=dt.date(2023, 1, 1), file="pa.geojson"
    )
    (note,) = lay.notes
    assert note.message("en") == (
        "pa.geojson: the zones of reserve R00000 were nested; cut into non-overlapping zones "
        "in the order core, buffer, experimental"
    )
    zh = note.message("zh")
    assert zh.startswith("pa.geojson：保护地“R00000”") and "—" not in zh
