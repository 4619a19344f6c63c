"""HJ 212-2017 / HJ 212-2025 protocol core, sans-IO (no sockets, no clocks, no threads).

Bytes go in, frozen events come out; see ``docs/hj212.md`` for what is implemented,
clause by clause.

- :mod:`.crc` — the CRC16 of Annex A (spec §3);
- :mod:`.frame` — ``##`` + length + segment + CRC + ``\\r\\n`` and the stream decoder (§2, §25.2);
- :mod:`.segment` — the data segment and the ``CP=&&…&&`` data area (§4, §5, §25.3);
- :mod:`.codes` — ST, CN, ExeRtn, QnRtn and data-flag tables (§6, §25.5, §25.6);
- :mod:`.reassembly` — PNUM/PNO multi-packet reassembly (§4 "PNUM / PNO");
- :mod:`.crypto` — SM4 of the 2025 data area, per-MN key history, :func:`~.crypto.open_frame`
  (CRC over the plaintext) (§25.4, §25.9);
- :mod:`.decoding` — one packet → a verdict and its typed content (``ecoplan sources decode``);
- :mod:`.schemas` — per-CN data-area schemas and ``validate`` (§5.3, §6.2, §25.5–25.6, §11);
- :mod:`.replies` — the 9011/9012/9013/9014 replies (§7.2);
- :mod:`.flows` — the Annex C flows, platform and device side, as state machines (§7, §25.5);
- :mod:`.errors` — :class:`LocalProtocolError` (our misuse) vs :class:`RemoteProtocolError`
  (the peer's bytes).
"""
