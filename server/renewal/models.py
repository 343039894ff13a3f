"""Renewal: the DSIT's policy (cycles, prices), end-of-life data it adds, plans members decide on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Numeric, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.core.clock import utcnow
from server.core.types import StrEnumType


class EolCatalogue(SQLModel, table=True):
    """A newer end-of-life catalogue loaded with ``mutuparc eol update`` (the newest wins)."""

    __tablename__ = "eol_catalogue"

    id: int | None = Field(default=None, primary_key=True)
    loaded_at: dt.datetime = Field(default_factory=utcnow)
    origin: str | None = Field(default=None, max_length=255)
    content: dict[str, Any] = Field(sa_type=JSON)


class EolOverride(SQLModel, table=True):
    """The DSIT's own end-of-life entry for what the catalogue lacks (Synology DSM 7.1, QTS 5.1...)."""

    __tablename__ = "eol_override"

    id: int | None = Field(default=None, primary_key=True)
    product: str = Field(max_length=100)  # "synology-dsm"
    cycle: str = Field(max_length=50)  # "7.1"
    label: str | None = Field(default=None, max_length=100)
    pattern: str = Field(max_length=255)  # regular expression on the OS/firmware label: "^DSM 7\.1\b"
    release_date: dt.date | None = None
    active_end: dt.date | None = None
    security_end: dt.date | None = None
    note: str | None = Field(default=None, sa_type=Text)


class ModelSupport(SQLModel, table=True):
    """End of sale and of support of a hardware model (switches, firewalls, UPS, NAS...)."""

    __tablename__ = "model_support"

    id: int | None = Field(default=None, primary_key=True)
    manufacturer: str | None = Field(default=None, max_length=100)  # compared without case; None: any
    model_pattern: str = Field(max_length=255)  # regular expression on the model: "^WS-C2960X-"
    end_of_sale: dt.date | None = None
    end_of_support: dt.date | None = None
    source: str | None = Field(default=None, max_length=255)


class RenewalPolicy(SQLModel, table=True):
    """A renewal cycle in years for a type (and category), for every member or one of them."""

    __tablename__ = "renewal_policy"
    __table_args__ = (UniqueConstraint("asset_type", "category", "member_id", name="uq_renewal_policy"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_type: str | None = Field(default=None, max_length=20)  # None: every type
    category: str | None = Field(default=None, max_length=20)  # None: every category
    member_id: int | None = Field(default=None, foreign_key="member.id")  # None: every member
    years: int = Field(ge=1, le=30)


class UnitPrice(SQLModel, table=True):
    """What replacing one asset of a type costs, for the plan's estimates."""

    __tablename__ = "unit_price"
    __table_args__ = (UniqueConstraint("asset_type", "category", name="uq_unit_price"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_type: str = Field(max_length=20)  # or "ups_battery"
    category: str | None = Field(default=None, max_length=20)
    price: Decimal = Field(sa_type=Numeric(12, 2))
    label: str | None = Field(default=None, max_length=200)  # "portable standard"


class PlanStatus(StrEnum):
    PROPOSED = "proposed"  # frozen by the DSIT, waiting for the member
    DECIDED = "decided"  # every line has the member's decision


class RenewalPlan(SQLModel, table=True):
    """A frozen version of a member's N+1 renewal plan, as sent for the budget."""

    __tablename__ = "renewal_plan"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    year: int  # the year renewals are budgeted for (N+1)
    budget_date: dt.date
    created_at: dt.datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=150)
    status: PlanStatus = Field(default=PlanStatus.PROPOSED, sa_type=StrEnumType(PlanStatus, 20))
    total: Decimal = Field(default=Decimal(0), sa_type=Numeric(14, 2))
    # [{"asset_id", "name", "asset_type", "reasons": [...], "due": "2027-03-01", "cost": "900.00"}]
    lines: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)


class Decision(StrEnum):
    ACCEPT = "accept"
    POSTPONE = "postpone"  # one year later
    REFUSE = "refuse"


class PlanDecision(SQLModel, table=True):
    """The member's decision on one line of a plan (the decision to renew belongs to the member)."""

    __tablename__ = "renewal_decision"
    __table_args__ = (UniqueConstraint("plan_id", "asset_id", name="uq_renewal_decision"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="renewal_plan.id", ondelete="CASCADE")
    asset_id: int
    decision: Decision = Field(sa_type=StrEnumType(Decision, 20))
    comment: str | None = Field(default=None, sa_type=Text)
    decided_by: str = Field(max_length=150)
    decided_at: dt.datetime = Field(default_factory=utcnow)


class SupportExtension(SQLModel, table=True):
    """A DSIT decision to keep one asset on paid extended support (Windows 10 ESU, a vendor's
    extended contract...) until ``end_date``: while that date is after a plan's budget date, the
    asset's line is this decision at its cost (remedy ``extend_support``); after it, the normal
    remedy comes back. One decision per asset (a new one replaces it)."""

    __tablename__ = "support_extension"

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", ondelete="CASCADE", unique=True)
    end_date: dt.date
    cost: Decimal = Field(sa_type=Numeric(12, 2))
    note: str | None = Field(default=None, sa_type=Text)  # "ESU année 2", the contract's reference
    decided_by: str = Field(max_length=150)
    decided_at: dt.datetime = Field(default_factory=utcnow)
