"""Sample waste files for the core tests (no tests here): a producer in 苏州 (320500), a transporter, a
licensed receiver in 南京 (320100) and one in 杭州 (330100), a cross-province approval,
manifests in several states and a producer's ledger."""

from __future__ import annotations

from pathlib import Path

__all__ = ["ACTORS", "APPROVALS", "LEDGER", "MANIFESTS", "PERMITS", "write", "write_all"]

ACTORS = [
    "actor_id,roles,name,credit_code,region,address,lon,lat,unit_class",
    "P1,producer,苏州某化工有限公司,91320500MA1XXXXX0A,320505,苏州高新区,120.56,31.30,key",
    "T1,transporter,江苏某危货运输公司,,320102,南京,118.80,32.06,",
    "R1,receiver,南京某环境服务有限公司,,320115,南京江宁,118.84,31.95,key",
    "R2,receiver;producer,杭州某固废处置有限公司,,330109,杭州萧山,120.26,30.18,simplified",
]
PERMITS = [
    "permit_no,actor_id,kind,valid_from,valid_to,annual_capacity_t,codes",
    "JS-0001,R1,comprehensive,2023-01-01,2027-12-31,20000,HW08;HW49",
    "ZJ-0001,R2,comprehensive,2024-06-01,2029-05-31,15000,900-249-08",
]
APPROVALS = [
    "approval_no,from_province,to_province,producer_id,receiver_id,codes,quantity_t,method,valid_from,valid_to",
    "KSZY-2025-001,32,33,P1,R2,900-249-08,500,R9,2025-01-01,2025-12-31",
]
MANIFESTS = [
    "manifest_no,producer_id,transporter_id,receiver_id,approval_no,status,paper,shipped_at,arrived_at,"
    "confirmed_at,closed_at,backfilled_at,vehicle,producers_on_manifest,line_no,code,form,packaging,containers,"
    "qty_shipped_t,qty_received_t,code_received,form_received,packaging_received",
    "20253205000001,P1,T1,R1,,confirmed,false,2025-03-03 08:00,2025-03-03 15:00,2025-03-05 10:00,,,"
    "苏E12345,1,1,900-249-08,液态,桶,10,2.0,1.98,,,",
    "20253205000001,P1,T1,R1,,confirmed,false,2025-03-03 08:00,2025-03-03 15:00,2025-03-05 10:00,,,"
    "苏E12345,1,2,900-041-49,固态,袋,5,1.0,1.0,,,",
    "20253205000002,P1,T1,R2,KSZY-2025-001,shipped,false,2025-03-10 08:00,,,,,苏E12345,1,1,"
    "900-249-08,液态,桶,20,4.0,,,,",
    "20253205000003,P1,,R1,,draft,false,,,,,,,1,1,900-249-08,液态,桶,4,0.8,,,,",
]
LEDGER = [
    "actor_id,batch_code,stage,at,code,quantity_t,container_code,linked_batch,facility",
    "P1,HWCS2025030100001,generated,2025-03-01 09:00,900-249-08,2.0,C001,,TS01",
    "P1,HWRK2025030100001,stored_in,2025-03-01 10:00,900-249-08,2.0,C001,HWCS2025030100001,ZC01",
    "P1,HWCK2025030300001,stored_out,2025-03-03 07:30,900-249-08,2.0,C001,HWRK2025030100001,ZC01",
    "P1,HWWWCZ2025030300001,shipped,2025-03-03 08:00,900-249-08,2.0,C001,HWCK2025030300001,",
    "P1,HWCS2025031500001,generated,2025-03-15 09:00,900-249-08,3.0,C002,,TS01",
    "P1,HWRK2025031500001,stored_in,2025-03-15 10:00,900-249-08,3.0,C002,HWCS2025031500001,ZC01",
    "P1,HWCS2025032000001,generated,2025-03-20 09:00,900-041-49,0.5,C003,,TS02",
    "P1,HWZXCZ2025032000001,self_treated,2025-03-20 12:00,900-041-49,0.4,C003,HWCS2025032000001,",
]


def write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def write_all(folder: Path) -> dict[str, Path]:
    """Every sample file in ``folder``, by kind."""
    kinds = {
        "actors": ACTORS,
        "permits": PERMITS,
        "approvals": APPROVALS,
        "manifests": MANIFESTS,
        "ledger": LEDGER,
    }
    return {k: write(folder / f"{k}.csv", rows) for k, rows in kinds.items()}
