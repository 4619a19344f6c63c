"""``ecoplan sources simulate``: asyncio devices playing the HJ 212 upload flows
(hj212 spec §7.3 C.14–C.18, §11 item 7, §25.9 item 7).

- :mod:`.devices` — the devices played (real-looking MN, PW, ST, factors) and the
  registry CSV they need (``--register``);
- :mod:`.packets` — the uploads (2011/2051/2061/2031, heartbeats 9015) in the exact
  Annex C form;
- :mod:`.client` — one device's connection: send, wait for the 9014 within OverTime,
  resend ReCount times, reconnect; :class:`.client.Ledger` of every QN acknowledged;
- :mod:`.run` — many devices at a rate for a duration or a number of frames.
"""
