"""The vocabulary of org charts: the words the name of a team, a function or a job is made of, in banking,
healthcare, the public sector, manufacturing and software — from the unit and job names those org charts
publish (tests/data/owners.md says which).

A word here marks an owner as no person wherever it stands, so a word that is also a given name or a
family name in use is kept out, however often org charts use it: grace, hope, grant, law, case, plant,
lean, loan (a Vietnamese given name), parks, banks, price, nurse, head, trust, cloud, chain. Words made
the way names of activities are ("…ment", "…tions", "…ology") are caught by their ending instead
(people.py), so the list need not hold them all."""

from __future__ import annotations

UNIT_WORDS = frozenset(
    {
        # what a unit is
        "agency", "authority", "branch", "bureau", "center", "centre", "centers", "chapter", "commission",
        "council", "desk", "division", "factory", "function", "guild", "hub", "lab", "labs", "pod",
        "practice", "programme", "services", "service", "squad", "studio", "taskforce", "tribe", "unit",
        "units", "workstream", "oversight", "portfolio",
        # where it sits
        "global", "regional", "corporate", "enterprise", "emea", "apac", "latam", "amer", "americas",
        "international", "domestic", "central", "shared", "internal", "external", "front", "middle", "back",
        # banking and finance
        "treasury", "credit", "market", "markets", "liquidity", "capital", "wealth", "retail", "banking",
        "payments", "fraud", "sanctions", "kyc", "aml", "diligence", "onboarding", "servicing", "custody",
        "settlements", "reconciliations", "trade", "lending", "mortgages", "underwriting", "actuarial",
        "investment", "investments", "asset", "assets", "funding", "accounting", "tax", "payroll", "billing",
        "revenue", "budget", "financial", "operational", "laundering", "third", "party", "model", "models",
        "validation", "regulatory", "reporting", "continuity", "resilience", "screening", "prevention",
        "crime",
        # healthcare
        "clinical", "medical", "patient", "patients", "nursing", "pharmacy", "laboratory", "radiology",
        "informatics", "infection", "surgical", "emergency", "telehealth", "credentialing", "utilization",
        "coordination", "population", "health", "care", "cardiology", "oncology", "pathology",
        "research", "documentation", "records",
        # public sector
        "works", "clerk", "permits", "licensing", "recreation", "grants", "housing", "human",
        "workforce", "legislative", "affairs", "transportation", "comptroller", "inspector", "municipal",
        "county", "federal", "state", "citizen", "constituent", "procurement", "contracting",
        # manufacturing
        "maintenance", "quality", "assurance", "control", "supply", "logistics", "warehouse", "inbound",
        "outbound", "materials", "production", "planning", "demand", "tooling", "safety", "environmental",
        "ehs", "industrial", "manufacturing", "process", "lifecycle", "supplier", "suppliers", "continuous",
        "improvement", "excellence",
        # software and corporate functions
        "platform", "reliability", "sre", "developer", "solutions", "identity", "release", "cybersecurity",
        "computing", "intelligence", "analytics", "science", "machine", "learning", "professional",
        "revops", "salesops", "bizops", "contract", "contracts", "investor", "relations", "communications",
        "talent", "acquisition", "rewards", "facilities", "workplace", "employment",
        "commercial", "digital", "innovation", "design", "command", "delivery", "transformation",
        "strategy", "strategic", "business", "software", "hardware", "cloudops", "devsecops", "qa",
        "helpdesk", "itsm", "iam", "soc", "noc", "grc", "pmo", "cab", "ccoe", "erp", "crm",
    }
)  # fmt: skip
# Nouns that end a job title: "Clinical Director", "Nurse Manager", "Model Validator".
JOB_NOUNS = frozenset(
    {
        "manager", "managers", "director", "directors", "officer", "officers", "president", "analyst",
        "administrator", "engineer", "coordinator", "validator", "specialist", "consultant", "architect",
        "counsel", "attorney", "controller", "treasurer", "auditor", "accountant", "advisor", "adviser",
        "supervisor", "superintendent", "scientist", "developer", "designer", "strategist", "planner",
        "representative", "liaison", "owner", "approver", "signatory", "sponsor",
    }
)  # fmt: skip
# Words that open a job title: "Head of Treasury", "Chief Nursing Officer", "VP Engineering".
JOB_LEADS = frozenset({"chief", "vp", "svp", "evp", "avp", "vice", "deputy", "assistant", "associate"})
