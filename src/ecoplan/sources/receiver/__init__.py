"""``ecoplan receive``: the asyncio HJ 212 receiver (hj212 spec §1, §7, §11).

- :mod:`.server` — connections, framing, password check, replies, limits, signals;
- :mod:`.pump` — the raw log's group commit (append, fsync, THEN ack);
- :mod:`.auth` — the device registry snapshot (MN → PW).

Several receivers side by side are several names (or log folders): they share nothing
(``docs/sources-receiver.md``).
"""
