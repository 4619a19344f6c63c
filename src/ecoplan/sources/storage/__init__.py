"""The only sources code that writes the store: registry imports (:mod:`.registry`),
frame ingest (:mod:`.frames`) and the computed facts (:mod:`.facts`)."""
