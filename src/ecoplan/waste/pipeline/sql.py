"""The alert rules as SQL, written once in DuckDB's dialect (run elsewhere through
:func:`ecoplan.core.sql.to_dialect`).

Inputs: the shared tables ``waste_actors``, ``waste_permits``, ``waste_approvals``,
``waste_manifests``, ``waste_manifest_lines``, ``waste_ledger``, ``waste_declarations``
(issue 14's design), plus two small tables the runner supplies: ``waste_calendar``
(:func:`ecoplan.waste.workdays.calendar_frame`: ``d``, ``workday``, ``cum``, ``confirmed``)
and ``waste_periods`` (the declaration periods of the year with their due dates). The
runner first materialises the fact table of :func:`facts_sql` (``waste_mf``): the
joins of manifests with their parties are made once for every rule. Manifests whose
producer is not a known actor are not judged (no region to place them).

Every rule's query returns ``rule``, ``subject``, ``region``, ``at`` and its evidence as
columns named ``e_<name>``: the numbers the alert rests on (dates as ``YYYY-MM-DD`` text,
so both engines hand them over alike).

Working-day spans follow :mod:`ecoplan.waste.workdays`: the day of the event is not
counted (民法典 Art. 201), so a deadline of *n* working days after day ``a`` is missed on
day ``b`` when ``cum(b) − cum(a) > n``, or ``= n`` and ``b`` is not a working day (the
*n*-th working day has ended).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ecoplan.waste.rules.settings import AlertSettings

__all__ = ["FACTS", "RULE_SQL", "facts_sql", "rule_sql"]


def _ts(v: dt.datetime) -> str:
    return f"TIMESTAMP '{v.strftime('%Y-%m-%d %H:%M:%S')}'"


def _f(v: float) -> str:
    return f"CAST({float(v)!r} AS DOUBLE)"


def _as_of(s: AlertSettings) -> dt.datetime:
    if s.as_of is None:
        raise ValueError("AlertSettings.as_of is not set")
    return s.as_of


def _year(s: AlertSettings) -> int:
    return s.year if s.year is not None else _as_of(s).year


def _late(a: str, b: str, n: int) -> str:
    """Calendar rows ``a`` (the event's day) and ``b`` (the day judged): ``n`` working
    days have passed."""
    return f"({b}.cum - {a}.cum > {n} OR ({b}.cum - {a}.cum = {n} AND NOT {b}.workday))"


#: The fact table every run builds first (:func:`facts_sql`), so the joins of manifests
#: with their parties are made once. (Lines with their manifests, :data:`_LF`, stay a
#: common table expression: written out as a table they cost more than they save.)
FACTS: tuple[str, ...] = ("waste_mf",)


def facts_sql() -> dict[str, str]:
    """``waste_mf``: each manifest with its producer's and receiver's region and place."""
    return {
        "waste_mf": """
SELECT m.manifest_no, m.producer_id, m.receiver_id, m.approval_no, m.status, m.paper, m.shipped_at,
  m.arrived_at, m.confirmed_at, m.closed_at, m.backfilled_at, m.vehicle, m.producers_on_manifest,
  p.region AS p_region, p.lon AS p_lon, p.lat AS p_lat, r.region AS r_region, r.lon AS r_lon, r.lat AS r_lat
FROM waste_manifests m LEFT JOIN waste_actors p ON p.actor_id = m.producer_id
  LEFT JOIN waste_actors r ON r.actor_id = m.receiver_id
""",
    }


#: Each line's code and quantities with its manifest's receiver, status, shipping time and
#: region (shipped manifests only): the permit checks' common table expression ``lf``.
_LF = """lf AS (
  SELECT l.manifest_no, l.line_no, l.code, l.qty_shipped_t, l.qty_received_t, m.receiver_id, m.status,
    m.shipped_at, m.p_region
  FROM waste_manifest_lines l JOIN waste_mf m ON m.manifest_no = l.manifest_no
  WHERE m.status <> 'draft' AND m.shipped_at IS NOT NULL)"""


def r1(s: AlertSettings) -> str:
    """Art. 15: 14 digits; year; the 移出人's province and city codes."""
    return """
WITH x AS (
  SELECT manifest_no, shipped_at, p_region AS region,
    CASE WHEN NOT regexp_matches(manifest_no, '^[0-9]{14}$') THEN 'format'
         WHEN substr(manifest_no, 5, 2) <> substr(p_region, 1, 2) THEN 'province'
         WHEN substr(manifest_no, 7, 2) <> substr(p_region, 3, 2) THEN 'city'
         WHEN shipped_at IS NOT NULL
              AND CAST(substr(manifest_no, 1, 4) AS INTEGER) <> year(shipped_at)
              AND CAST(substr(manifest_no, 1, 4) AS INTEGER) <> year(shipped_at) - 1 THEN 'year'
    END AS reason
  FROM waste_mf WHERE p_region IS NOT NULL)
SELECT 'R1' AS rule, manifest_no AS subject, region, shipped_at AS "at",
  manifest_no AS e_number, region AS e_producer_region, reason AS e_reason
FROM x WHERE reason IS NOT NULL
"""


def r2(s: AlertSettings) -> str:
    """Art. 18 ¶1: confirmed within 5 working days of receipt (of shipment plus a transit
    allowance when no arrival is recorded)."""
    n, allow, as_of = s.confirm_workdays, s.transit_allowance_days, _as_of(s)
    return f"""
WITH m AS (
  SELECT manifest_no, p_region, arrived_at, confirmed_at,
    COALESCE(CAST(arrived_at AS DATE), CAST(shipped_at AS DATE) + {int(allow)}) AS recv_d,
    arrived_at IS NULL AS fallback,
    CAST(COALESCE(confirmed_at, {_ts(as_of)}) AS DATE) AS upto_d
  FROM waste_mf
  WHERE status NOT IN ('draft', 'rejected') AND shipped_at IS NOT NULL AND p_region IS NOT NULL
    AND COALESCE(arrived_at, shipped_at) <= {_ts(as_of)}),
c AS (SELECT * FROM m WHERE date_diff('day', recv_d, upto_d) >= {int(n)})
SELECT 'R2' AS rule, c.manifest_no AS subject, c.p_region AS region,
  COALESCE(c.arrived_at, CAST(c.recv_d AS TIMESTAMP)) AS "at",
  CAST(c.recv_d AS VARCHAR) AS e_received, CAST(CAST(c.confirmed_at AS DATE) AS VARCHAR) AS e_confirmed,
  b.cum - a.cum AS e_workdays, {int(n)} AS e_limit_workdays, c.fallback AS e_fallback,
  (a.confirmed AND b.confirmed) AS e_calendar_confirmed
FROM c JOIN waste_calendar a ON a.d = c.recv_d JOIN waste_calendar b ON b.d = c.upto_d
WHERE {_late("a", "b", n)}
"""


def r3(s: AlertSettings) -> str:
    """Art. 18 ¶2 (any 数量 difference is reported); a difference beyond the tolerance."""
    return f"""
WITH l AS (
  SELECT manifest_no, line_no, code, qty_shipped_t, qty_received_t FROM waste_manifest_lines
  WHERE qty_received_t IS NOT NULL AND qty_shipped_t > 0
    -- rounded to 1e-6 %: 2.0 t -> 2.2 t is 10 %, not 10.000000000000009 %
    AND round(abs(qty_received_t - qty_shipped_t) / qty_shipped_t * 100, 6) > {_f(s.tolerance_pct)})
SELECT 'R3' AS rule, l.manifest_no || '/' || CAST(l.line_no AS VARCHAR) AS subject, m.p_region AS region,
  COALESCE(m.arrived_at, m.shipped_at) AS "at", l.line_no AS e_line, l.code AS e_code,
  l.qty_shipped_t AS e_shipped_t, l.qty_received_t AS e_received_t,
  (l.qty_received_t - l.qty_shipped_t) / l.qty_shipped_t * 100 AS e_diff_pct,
  {_f(s.tolerance_pct)} AS e_tolerance_pct
FROM l JOIN waste_mf m ON m.manifest_no = l.manifest_no
WHERE m.status <> 'draft' AND m.shipped_at IS NOT NULL AND m.p_region IS NOT NULL
"""


def r3_pieces(s: AlertSettings) -> str:
    """Art. 18 ¶2 (数量 不符): the pieces counted at receipt differ from the line's
    containers (any difference by default; lines without a count at receipt are not judged)."""
    return f"""
WITH l AS (
  SELECT manifest_no, line_no, code, containers, containers_received FROM waste_manifest_lines
  WHERE containers_received IS NOT NULL AND containers IS NOT NULL
    AND abs(containers_received - containers) > {int(s.piece_tolerance)})
SELECT 'R3.pieces' AS rule, l.manifest_no || '/' || CAST(l.line_no AS VARCHAR) AS subject,
  m.p_region AS region, COALESCE(m.arrived_at, m.shipped_at) AS "at", l.line_no AS e_line, l.code AS e_code,
  l.containers AS e_containers, l.containers_received AS e_containers_received,
  l.containers_received - l.containers AS e_diff, {int(s.piece_tolerance)} AS e_tolerance
FROM l JOIN waste_mf m ON m.manifest_no = l.manifest_no
WHERE m.status <> 'draft' AND m.shipped_at IS NOT NULL AND m.p_region IS NOT NULL
"""


def r4(s: AlertSettings) -> str:
    """Art. 18 ¶2: the code, form or packaging found at receipt differs."""
    return """
WITH l AS (
  SELECT manifest_no, line_no, code, code_received, form, form_received, packaging, packaging_received
  FROM waste_manifest_lines
  WHERE code_received <> code OR form_received <> form OR packaging_received <> packaging)
SELECT 'R4' AS rule, l.manifest_no || '/' || CAST(l.line_no AS VARCHAR) AS subject, m.p_region AS region,
  COALESCE(m.arrived_at, m.shipped_at) AS "at", l.line_no AS e_line,
  concat_ws(',',
    CASE WHEN l.code_received <> l.code THEN 'code' END,
    CASE WHEN l.form_received <> l.form THEN 'form' END,
    CASE WHEN l.packaging_received <> l.packaging THEN 'packaging' END) AS e_fields,
  l.code AS e_code, l.code_received AS e_code_received, l.form AS e_form,
  l.form_received AS e_form_received, l.packaging AS e_packaging, l.packaging_received AS e_packaging_received
FROM l JOIN waste_mf m ON m.manifest_no = l.manifest_no
WHERE m.status <> 'draft' AND m.shipped_at IS NOT NULL AND m.p_region IS NOT NULL
"""


_VALID = "p.valid_from <= CAST(m.shipped_at AS DATE) AND CAST(m.shipped_at AS DATE) <= p.valid_to"


def r5_permit(s: AlertSettings) -> str:
    """No 经营许可证 of the receiver valid on the shipping day."""
    return f"""
WITH x AS (
  SELECT m.manifest_no, m.receiver_id, m.shipped_at, m.p_region
  FROM waste_mf m LEFT JOIN waste_permits p ON p.actor_id = m.receiver_id AND {_VALID}
  WHERE m.status <> 'draft' AND m.shipped_at IS NOT NULL AND m.p_region IS NOT NULL
    AND p.permit_no IS NULL),
held AS (
  SELECT actor_id, COUNT(*) AS permits, MAX(valid_to) AS last_valid_to FROM waste_permits GROUP BY actor_id)
SELECT 'R5.permit' AS rule, x.manifest_no AS subject, x.p_region AS region, x.shipped_at AS "at",
  x.receiver_id AS e_receiver, CAST(CAST(x.shipped_at AS DATE) AS VARCHAR) AS e_shipped,
  COALESCE(h.permits, 0) AS e_permits, CAST(h.last_valid_to AS VARCHAR) AS e_last_valid_to
FROM x LEFT JOIN held h ON h.actor_id = x.receiver_id
"""


def r5_code(s: AlertSettings) -> str:
    """A line's code (or its HW category) is on none of the receiver's valid permits.
    The permits' lists are unnested once, so a line meets them by equality joins; an
    allowed line may match several items and is dropped, so no grouping of lines."""
    return f"""
WITH {_LF},
item AS (
  SELECT actor_id, valid_from, valid_to, unnest(codes) AS item FROM waste_permits),
lm AS (
  SELECT manifest_no, line_no, code, 'HW' || right(code, 2) AS category, receiver_id, shipped_at,
    p_region, CAST(shipped_at AS DATE) AS d
  FROM lf WHERE p_region IS NOT NULL),
by_category AS (
  SELECT lm.* FROM lm
    LEFT JOIN item i ON i.actor_id = lm.receiver_id AND i.item = lm.category
      AND i.valid_from <= lm.d AND lm.d <= i.valid_to
  WHERE i.actor_id IS NULL),
bad AS (
  SELECT c.* FROM by_category c
    LEFT JOIN item j ON j.actor_id = c.receiver_id AND j.item = c.code
      AND j.valid_from <= c.d AND c.d <= j.valid_to
  WHERE j.actor_id IS NULL),
x AS (
  SELECT bad.manifest_no, bad.line_no, bad.code, bad.category, bad.receiver_id, bad.shipped_at,
    bad.p_region, MIN(h.permit_no) AS permit_no
  FROM bad JOIN waste_permits h
    ON h.actor_id = bad.receiver_id AND h.valid_from <= bad.d AND bad.d <= h.valid_to
  GROUP BY bad.manifest_no, bad.line_no, bad.code, bad.category, bad.receiver_id, bad.shipped_at,
    bad.p_region)
SELECT 'R5.code' AS rule, manifest_no || '/' || CAST(line_no AS VARCHAR) AS subject, p_region AS region,
  shipped_at AS "at", line_no AS e_line, code AS e_code, category AS e_category,
  receiver_id AS e_receiver, permit_no AS e_permit
FROM x
"""


def r5_capacity(s: AlertSettings) -> str:
    """The year's received quantity over the permit's 年经营规模 (``reapply`` beyond
    ``reapply_pct``: a new application is due)."""
    y = _year(s)
    return f"""
WITH {_LF},
cap AS (
  SELECT actor_id, MAX(annual_capacity_t) AS capacity_t FROM waste_permits
  WHERE annual_capacity_t IS NOT NULL AND valid_from <= DATE '{y}-12-31' AND valid_to >= DATE '{y}-01-01'
  GROUP BY actor_id),
got AS (
  SELECT receiver_id, SUM(COALESCE(qty_received_t, qty_shipped_t)) AS received_t
  FROM lf
  WHERE status <> 'rejected' AND shipped_at >= TIMESTAMP '{y}-01-01 00:00:00'
    AND shipped_at < TIMESTAMP '{y + 1}-01-01 00:00:00'
  GROUP BY receiver_id)
SELECT 'R5.capacity' AS rule, g.receiver_id || ':{y}' AS subject, a.region,
  TIMESTAMP '{y}-12-31 23:59:59' AS "at", {y} AS e_year, g.received_t AS e_received_t,
  c.capacity_t AS e_capacity_t, g.received_t / c.capacity_t * 100 AS e_use_pct,
  g.received_t / c.capacity_t * 100 > {_f(s.reapply_pct)} AS e_reapply
FROM got g JOIN cap c ON c.actor_id = g.receiver_id JOIN waste_actors a ON a.actor_id = g.receiver_id
WHERE c.capacity_t > 0 AND g.received_t > c.capacity_t
"""


_CROSS = """
cross_m AS (
  SELECT manifest_no, producer_id, receiver_id, approval_no, shipped_at, p_region AS region,
    substr(p_region, 1, 2) AS from_prov, substr(r_region, 1, 2) AS to_prov
  FROM waste_mf
  WHERE status <> 'draft' AND shipped_at IS NOT NULL
    AND substr(p_region, 1, 2) <> substr(r_region, 1, 2))"""


def r6_none(s: AlertSettings) -> str:
    """Arts. 21, 82 固废法: a cross-province transfer without (a known) approval."""
    return f"""
WITH {_CROSS}
SELECT 'R6.none' AS rule, c.manifest_no AS subject, c.region, c.shipped_at AS "at",
  c.approval_no AS e_approval, c.from_prov AS e_from_province, c.to_prov AS e_to_province
FROM cross_m c LEFT JOIN waste_approvals a ON a.approval_no = c.approval_no
WHERE a.approval_no IS NULL
"""


def r6_outside(s: AlertSettings) -> str:
    """Arts. 27–28: a transfer outside its approval: another 移出人 or 接受人 or provinces,
    a code not approved, a day outside the validity, the approved quantity exceeded
    (cumulatively, in shipping order)."""
    allowed = "(list_contains(a.codes, l.code) OR list_contains(a.codes, 'HW' || right(l.code, 2)))"
    return f"""
WITH {_CROSS},
x AS (
  SELECT c.*, a.producer_id AS a_producer, a.receiver_id AS a_receiver, a.from_province, a.to_province,
    a.valid_from, a.valid_to, a.quantity_t
  FROM cross_m c JOIN waste_approvals a ON a.approval_no = c.approval_no),
q AS (
  SELECT l.manifest_no, SUM(l.qty_shipped_t) AS qty_t,
    MIN(CASE WHEN NOT {allowed} THEN l.code END) AS code_outside
  FROM waste_manifest_lines l JOIN x ON x.manifest_no = l.manifest_no
    JOIN waste_approvals a ON a.approval_no = x.approval_no
  GROUP BY l.manifest_no),
y AS (
  SELECT x.*, q.qty_t, q.code_outside,
    SUM(q.qty_t) OVER (PARTITION BY x.approval_no ORDER BY x.shipped_at, x.manifest_no
                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative_t
  FROM x JOIN q ON q.manifest_no = x.manifest_no),
z AS (
  SELECT y.*, concat_ws(',',
      CASE WHEN a_producer <> producer_id THEN 'producer' END,
      CASE WHEN a_receiver <> receiver_id THEN 'receiver' END,
      CASE WHEN from_province <> from_prov OR to_province <> to_prov THEN 'province' END,
      CASE WHEN code_outside IS NOT NULL THEN 'code' END,
      CASE WHEN CAST(shipped_at AS DATE) < valid_from
        OR CAST(shipped_at AS DATE) > valid_to THEN 'validity' END,
      CASE WHEN cumulative_t > quantity_t + 1e-9 THEN 'quantity' END) AS reasons
  FROM y)
SELECT 'R6.outside' AS rule, manifest_no AS subject, region, shipped_at AS "at", approval_no AS e_approval,
  reasons AS e_reasons, code_outside AS e_code_outside, qty_t AS e_qty_t, cumulative_t AS e_cumulative_t,
  quantity_t AS e_approved_t, CAST(valid_from AS VARCHAR) AS e_valid_from,
  CAST(valid_to AS VARCHAR) AS e_valid_to
FROM z WHERE reasons <> ''
"""


#: Each approval with its producer's region (the approval's own province when the producer
#: is not a known actor) and the receiver's permits valid on the approval's first day.
_APPROVAL_PERMITS = """
ap AS (
  SELECT a.approval_no, a.receiver_id, a.method, a.valid_from, a.valid_to,
    COALESCE(pr.region, a.from_province || '0000') AS region
  FROM waste_approvals a LEFT JOIN waste_actors pr ON pr.actor_id = a.producer_id),
held AS (
  SELECT ap.approval_no, COUNT(p.permit_no) AS permits, MAX(p.valid_to) AS permit_valid_to,
    SUM(CASE WHEN p.kind = 'comprehensive' THEN 1 ELSE 0 END) AS comprehensive,
    MIN(p.kind) AS permit_kind
  FROM ap LEFT JOIN waste_permits p
    ON p.actor_id = ap.receiver_id AND p.valid_from <= ap.valid_from AND ap.valid_from <= p.valid_to
  GROUP BY ap.approval_no)"""


def r6_expiry(s: AlertSettings) -> str:
    """Art. 27 ¶2: an approval is valid no longer than the receiver's 经营许可证; the
    approval's last day after the last day of the receiver's permits valid on its first
    day (or no permit valid then)."""
    return f"""
WITH {_APPROVAL_PERMITS}
SELECT 'R6.expiry' AS rule, ap.approval_no AS subject, ap.region, CAST(ap.valid_from AS TIMESTAMP) AS "at",
  ap.receiver_id AS e_receiver, CAST(ap.valid_from AS VARCHAR) AS e_valid_from,
  CAST(ap.valid_to AS VARCHAR) AS e_valid_to, h.permits AS e_permits,
  CAST(h.permit_valid_to AS VARCHAR) AS e_permit_valid_to
FROM ap JOIN held h ON h.approval_no = ap.approval_no
WHERE h.permit_valid_to IS NULL OR ap.valid_to > h.permit_valid_to
"""


def r6_method(s: AlertSettings) -> str:
    """许可证管理办法 Art. 3 with 转移管理办法 Arts. 27–28: an approval for utilisation or
    disposal (``treatment_methods``) to a receiver whose permits valid on the approval's
    first day are collection permits only."""
    pattern = s.treatment_methods.replace("'", "''")
    return f"""
WITH {_APPROVAL_PERMITS}
SELECT 'R6.method' AS rule, ap.approval_no AS subject, ap.region, CAST(ap.valid_from AS TIMESTAMP) AS "at",
  ap.receiver_id AS e_receiver, ap.method AS e_method, h.permit_kind AS e_permit_kind, h.permits AS e_permits
FROM ap JOIN held h ON h.approval_no = ap.approval_no
WHERE h.permits > 0 AND h.comprehensive = 0 AND ap.method IS NOT NULL
  AND regexp_matches(ap.method, '{pattern}')
"""


def r7(s: AlertSettings) -> str:
    """Transit time over ``distance × road_factor / speed + slack`` (still in transit:
    up to ``as_of``)."""
    as_of = _as_of(s)
    hav = (
        "2 * 6371.0 * asin(sqrt(power(sin(radians(r_lat - p_lat) / 2), 2)"
        " + cos(radians(p_lat)) * cos(radians(r_lat)) * power(sin(radians(r_lon - p_lon) / 2), 2)))"
    )
    hours = f"CAST(epoch(COALESCE(arrived_at, {_ts(as_of)})) - epoch(shipped_at) AS DOUBLE) / 3600.0"
    return f"""
WITH x AS (
  SELECT manifest_no, shipped_at, arrived_at, p_region, {hav} AS distance_km, {hours} AS hours
  FROM waste_mf
  WHERE status <> 'draft' AND shipped_at IS NOT NULL AND (arrived_at IS NOT NULL OR status = 'shipped')
    AND p_lat IS NOT NULL AND r_lat IS NOT NULL AND shipped_at <= {_ts(as_of)}
    -- the limit is at least the slack: shorter trips need no distance
    AND {hours} > {_f(s.transit_slack_h)}),
y AS (SELECT x.*,
    distance_km * {_f(s.road_factor)} / {_f(s.speed_kmh)} + {_f(s.transit_slack_h)} AS limit_h FROM x)
SELECT 'R7' AS rule, manifest_no AS subject, p_region AS region, shipped_at AS "at",
  distance_km AS e_distance_km, hours AS e_hours, limit_h AS e_limit_h, arrived_at IS NULL AS e_in_transit
FROM y WHERE hours > limit_h
"""


def r8(s: AlertSettings) -> str:
    """Art. 20 ¶2: a paper manifest back-filled within 10 working days of completion."""
    n, as_of = s.backfill_workdays, _as_of(s)
    return f"""
WITH m AS (
  SELECT manifest_no, p_region, backfilled_at, COALESCE(confirmed_at, arrived_at) AS done_at,
    CAST(COALESCE(confirmed_at, arrived_at) AS DATE) AS done_d,
    CAST(COALESCE(backfilled_at, {_ts(as_of)}) AS DATE) AS upto_d
  FROM waste_mf
  WHERE paper AND p_region IS NOT NULL AND COALESCE(confirmed_at, arrived_at) IS NOT NULL
    AND COALESCE(confirmed_at, arrived_at) <= {_ts(as_of)})
SELECT 'R8' AS rule, m.manifest_no AS subject, m.p_region AS region, m.done_at AS "at",
  CAST(m.done_d AS VARCHAR) AS e_completed, CAST(CAST(m.backfilled_at AS DATE) AS VARCHAR) AS e_backfilled,
  b.cum - a.cum AS e_workdays, {int(n)} AS e_limit_workdays,
  (a.confirmed AND b.confirmed) AS e_calendar_confirmed
FROM m JOIN waste_calendar a ON a.d = m.done_d JOIN waste_calendar b ON b.d = m.upto_d
WHERE {_late("a", "b", n)}
"""


def r9_storage(s: AlertSettings) -> str:
    """固废法 Art. 81 ¶3: a licensed operator stores a batch longer than one year."""
    as_of = _as_of(s)
    return f"""
WITH i AS (
  SELECT actor_id, batch_code, "at", code, quantity_t FROM waste_ledger
  WHERE stage = 'stored_in' AND "at" <= {_ts(as_of)}
    AND actor_id IN (SELECT actor_id FROM waste_permits)),
x AS (
  SELECT i.*, o."at" AS out_at,
    CAST(epoch(COALESCE(o."at", {_ts(as_of)})) - epoch(i."at") AS DOUBLE) / 86400.0 AS days
  FROM i LEFT JOIN waste_ledger o
    ON o.actor_id = i.actor_id AND o.batch_code = i.batch_code AND o.stage = 'stored_out')
SELECT 'R9.storage' AS rule, x.actor_id || ':' || x.batch_code AS subject, a.region, x."at" AS "at",
  x.code AS e_code, x.quantity_t AS e_quantity_t, x."at" AS e_stored_in, x.out_at AS e_stored_out,
  x.days AS e_days, {int(s.storage_days)} AS e_limit_days
FROM x JOIN waste_actors a ON a.actor_id = x.actor_id
WHERE x.days > {int(s.storage_days)}
"""


def r9_balance(s: AlertSettings) -> str:
    """HJ 1259 mass balance over the year, per producing unit and code:
    generated = shipped + self-treated + (stored in − stored out)."""
    y = _year(s)
    return f"""
WITH x AS (
  SELECT actor_id, code,
    SUM(CASE WHEN stage = 'generated' THEN quantity_t ELSE 0 END) AS generated_t,
    SUM(CASE WHEN stage = 'shipped' THEN quantity_t ELSE 0 END) AS shipped_t,
    SUM(CASE WHEN stage = 'self_treated' THEN quantity_t ELSE 0 END) AS self_treated_t,
    SUM(CASE WHEN stage = 'stored_in' THEN quantity_t ELSE 0 END) AS stored_in_t,
    SUM(CASE WHEN stage = 'stored_out' THEN quantity_t ELSE 0 END) AS stored_out_t
  FROM waste_ledger
  WHERE "at" >= TIMESTAMP '{y}-01-01 00:00:00' AND "at" < TIMESTAMP '{y + 1}-01-01 00:00:00'
  GROUP BY actor_id, code),
gen AS (SELECT DISTINCT actor_id FROM x WHERE generated_t > 0),
y AS (SELECT x.*,
    generated_t - shipped_t - self_treated_t - (stored_in_t - stored_out_t) AS imbalance_t FROM x)
SELECT 'R9.balance' AS rule, y.actor_id || ':' || y.code || ':{y}' AS subject, a.region,
  TIMESTAMP '{y}-12-31 23:59:59' AS "at", y.code AS e_code, {y} AS e_year, y.generated_t AS e_generated_t,
  y.shipped_t AS e_shipped_t, y.self_treated_t AS e_self_treated_t, y.stored_in_t AS e_stored_in_t,
  y.stored_out_t AS e_stored_out_t, y.imbalance_t AS e_imbalance_t
FROM y JOIN gen g ON g.actor_id = y.actor_id JOIN waste_actors a ON a.actor_id = y.actor_id
WHERE abs(y.imbalance_t) > {_f(s.balance_tolerance_t)}
"""


def r10(s: AlertSettings) -> str:
    """HJ 1259 §7.2: each due declaration submitted by its day (``waste_periods``)."""
    as_of = _as_of(s)
    return f"""
WITH need AS (
  SELECT a.actor_id, a.region, a.unit_class, p.kind, p.period, p.due
  FROM waste_actors a JOIN waste_periods p
    ON (a.unit_class = 'key' AND p.kind IN ('monthly', 'annual'))
    OR (a.unit_class = 'simplified' AND p.kind IN ('quarterly', 'annual'))
    OR (a.unit_class = 'registered' AND p.kind = 'annual')
  WHERE p.due < CAST({_ts(as_of)} AS DATE))
SELECT 'R10' AS rule, n.actor_id || ':' || n.kind || ':' || n.period AS subject, n.region,
  CAST(n.due AS TIMESTAMP) AS "at", n.unit_class AS e_unit_class, n.kind AS e_kind, n.period AS e_period,
  CAST(n.due AS VARCHAR) AS e_due, d.submitted_at AS e_submitted, d.submitted_at IS NULL AS e_missing
FROM need n LEFT JOIN waste_declarations d
  ON d.actor_id = n.actor_id AND d.kind = n.kind AND d.period = n.period
WHERE d.submitted_at IS NULL OR CAST(d.submitted_at AS DATE) > n.due
"""


def r11(s: AlertSettings) -> str:
    """Art. 16 ¶2: each 移出人 sharing a vehicle runs its own manifest."""
    return """
SELECT 'R11' AS rule, manifest_no AS subject, p_region AS region, shipped_at AS "at",
  producers_on_manifest AS e_producers, vehicle AS e_vehicle
FROM waste_mf
WHERE producers_on_manifest > 1 AND p_region IS NOT NULL
"""


#: The query of each check (:data:`ecoplan.waste.rules.RULES` ids).
RULE_SQL: dict[str, Callable[[AlertSettings], str]] = {
    "R1": r1,
    "R2": r2,
    "R3": r3,
    "R3.pieces": r3_pieces,
    "R4": r4,
    "R5.permit": r5_permit,
    "R5.code": r5_code,
    "R5.capacity": r5_capacity,
    "R6.none": r6_none,
    "R6.outside": r6_outside,
    "R6.expiry": r6_expiry,
    "R6.method": r6_method,
    "R7": r7,
    "R8": r8,
    "R9.storage": r9_storage,
    "R9.balance": r9_balance,
    "R10": r10,
    "R11": r11,
}


def rule_sql(rule_id: str, settings: AlertSettings) -> str:
    """The query of the check ``rule_id`` under ``settings``."""
    return RULE_SQL[rule_id](settings)
