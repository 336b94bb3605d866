"""Writes seeds/network.json: the sample network of `rel demo`, the docs and the benchmarks.

Deterministic: the same script writes the same file. Run it after changing the people below:

    uv run python seeds/make_network.py
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

TODAY = date(2026, 2, 26)  # the demo's fixed today: a Thursday
START = date(2025, 2, 26)  # a year of history
# 29 February 2026 does not exist: Priya's birthday is shown on the 28th.

# name, company, title, tags, cadence, birthday, met, email, state
# state: "ok" (seen recently), "due" (due today), "soon" (due within a week),
#        "late" (overdue), "quiet" (no cadence; seen now and then)
PEOPLE = [
    (
        "Alice Chen",
        "Acme Robotics",
        "CTO",
        ["customer"],
        "3w",
        "1984-03-14",
        "Intro from Margaret at the SaaS summit",
        "alice@acmerobotics.example",
        "late",
    ),
    (
        "Marcus Webb",
        "Northwind Logistics",
        "VP Operations",
        ["customer"],
        "1m",
        "--02-26",
        "Inbound demo request",
        "marcus.webb@northwind.example",
        "ok",
    ),
    (
        "Hannah Okafor",
        "Brightline Health",
        "Head of IT",
        ["customer"],
        "1m",
        "1979-09-02",
        "Conference panel in Austin",
        "h.okafor@brightline.example",
        "soon",
    ),
    (
        "Diego Alvarez",
        "Acme Robotics",
        "Procurement lead",
        ["customer"],
        "6w",
        None,
        "Alice's team",
        "diego@acmerobotics.example",
        "ok",
    ),
    (
        "Sofia Rossi",
        "Lumen Retail",
        "COO",
        ["customer"],
        "2m",
        "1981-06-21",
        "Referral from Ben Carter",
        "sofia.rossi@lumen.example",
        "late",
    ),
    (
        "Kenji Watanabe",
        "Tanaka Foods",
        "IT director",
        ["customer"],
        "quarterly",
        "1975-12-08",
        "Trade fair in Osaka",
        "kenji@tanakafoods.example",
        "ok",
    ),
    (
        "Olivia Brandt",
        "Helix Bio",
        "CEO",
        ["prospect"],
        "2w",
        None,
        "Cold email that got a reply",
        "olivia@helixbio.example",
        "late",
    ),
    (
        "Tom Gallagher",
        "Pioneer Freight",
        "CFO",
        ["prospect"],
        "3w",
        "1970-03-01",
        "Webinar attendee",
        "tgallagher@pioneer.example",
        "soon",
    ),
    (
        "Amara Nwosu",
        "Cobalt Energy",
        "VP Engineering",
        ["prospect"],
        "1m",
        None,
        "Met at the founders mixer",
        "amara@cobalt.example",
        "due",
    ),
    (
        "Lukas Meyer",
        "Falkenberg GmbH",
        "CIO",
        ["prospect"],
        "1m",
        "1983-10-17",
        "LinkedIn",
        "l.meyer@falkenberg.example",
        "ok",
    ),
    (
        "Grace Liu",
        "Summit Schools",
        "Director of technology",
        ["prospect"],
        "6w",
        None,
        "EdTech meetup",
        "grace.liu@summit.example",
        "ok",
    ),
    (
        "José García",
        "Solaria Energía",
        "Head of operations",
        ["prospect"],
        "1m",
        "1987-05-09",
        "Madrid roadshow",
        "jose.garcia@solaria.example",
        "late",
    ),
    (
        "Raj Patel",
        "CloudNest",
        "Account manager",
        ["vendor"],
        "quarterly",
        None,
        "Our hosting provider",
        "raj@cloudnest.example",
        "ok",
    ),
    (
        "Emma Walsh",
        "Inkwell Design",
        "Designer",
        ["vendor"],
        "2m",
        "1990-08-30",
        "Designed our brand",
        "emma@inkwell.example",
        "ok",
    ),
    (
        "Victor Petrov",
        "SecureAudit",
        "Auditor",
        ["vendor"],
        "6m",
        None,
        "SOC 2 audit",
        "victor@secureaudit.example",
        "ok",
    ),
    (
        "Anna Kowalski",
        "Kowalski Legal",
        "Lawyer",
        ["vendor"],
        "6m",
        "1972-04-11",
        "Incorporation",
        "anna@kowalskilegal.example",
        "ok",
    ),
    (
        "Nadia Haddad",
        "Orbit Integrations",
        "Head of partnerships",
        ["partner"],
        "1m",
        "1986-01-25",
        "Integration marketplace",
        "nadia@orbit.example",
        "soon",
    ),
    (
        "Ben Carter",
        "Northstar Consulting",
        "Partner",
        ["partner"],
        "2m",
        None,
        "Former client",
        "ben@northstar.example",
        "ok",
    ),
    (
        "Julia Novak",
        "RivalSoft",
        "Founder",
        ["competitor"],
        "quarterly",
        "1985-07-07",
        "We co-host the founders mixer",
        "julia@rivalsoft.example",
        "late",
    ),
    (
        "Sam Lee",
        "Our company",
        "Engineering lead",
        ["colleague"],
        "2w",
        "1991-11-03",
        "First hire",
        "sam.lee@ourco.example",
        "ok",
    ),
    (
        "Sam Ortiz",
        "Our company",
        "Account executive",
        ["colleague"],
        "3w",
        None,
        "Hired last spring",
        "sam.ortiz@ourco.example",
        "ok",
    ),
    (
        "Chloé Martin",
        "Our company",
        "Product designer",
        ["colleague"],
        "1m",
        "1993-03-04",
        "Design contractor, then hired",
        "chloe@ourco.example",
        "ok",
    ),
    (
        "Ahmed Khan",
        "Vertex Labs",
        "Staff engineer",
        ["colleague", "friend"],
        "3m",
        None,
        "Worked together at Vertex",
        "ahmed.khan@vertex.example",
        "ok",
    ),
    (
        "Isabel Ferreira",
        "Mapwise",
        "Product manager",
        ["colleague"],
        "2m",
        "1988-02-12",
        "Former teammate",
        "isabel@mapwise.example",
        "late",
    ),
    (
        "Margaret Hughes",
        None,
        "Angel investor",
        ["mentor"],
        "6w",
        "1961-05-30",
        "She invested in our seed round",
        "margaret@hughes.example",
        "late",
    ),
    (
        "David Kim",
        "Vertex Labs",
        "VP Engineering",
        ["mentor"],
        "2m",
        None,
        "My first manager",
        "david.kim@vertex.example",
        "ok",
    ),
    (
        "Yuki Sato",
        "Blue Harbor Ventures",
        "Partner",
        ["investor"],
        "2m",
        None,
        "Pitch meeting",
        "yuki@blueharbor.example",
        "ok",
    ),
    (
        "Priya Raman",
        None,
        None,
        ["friend"],
        "3w",
        "1996-02-29",
        "University",
        "priya.raman@mail.example",
        "ok",
    ),
    (
        "Jake Thompson",
        None,
        None,
        ["friend"],
        "1m",
        "1990-06-15",
        "Climbing gym",
        "jake.t@mail.example",
        "late",
    ),
    (
        "Mia Schneider",
        None,
        None,
        ["friend"],
        "6w",
        "1992-03-05",
        "Neighbours in Berlin",
        "mia.schneider@mail.example",
        "ok",
    ),
    (
        "Leo Fischer",
        None,
        None,
        ["friend"],
        "2m",
        None,
        "Football on Sundays",
        "leo.fischer@mail.example",
        "ok",
    ),
    (
        "Zoe Campbell",
        None,
        None,
        ["friend"],
        "1m",
        "1994-10-22",
        "Book club",
        "zoe.campbell@mail.example",
        "soon",
    ),
    (
        "Omar Farouk",
        None,
        None,
        ["friend"],
        "3m",
        None,
        "Travelled in Morocco together",
        "omar.farouk@mail.example",
        "ok",
    ),
    (
        "Noah Williams",
        None,
        None,
        ["friend"],
        "2m",
        "1989-02-27",
        "College roommate",
        "noah.w@mail.example",
        "ok",
    ),
    (
        "Elena Popescu",
        None,
        None,
        ["friend"],
        None,
        "1991-09-09",
        "Friend of Priya",
        "elena.p@mail.example",
        "quiet",
    ),
    (
        "Linda Moreau",
        None,
        None,
        ["family"],
        "1w",
        "1958-03-03",
        "Mom",
        "linda.moreau@mail.example",
        "ok",
    ),
    (
        "Paul Moreau",
        None,
        None,
        ["family"],
        "1w",
        "1956-07-19",
        "Dad",
        "paul.moreau@mail.example",
        "late",
    ),
    (
        "Claire Moreau",
        None,
        None,
        ["family"],
        "2w",
        "1989-11-30",
        "Sister",
        "claire.moreau@mail.example",
        "ok",
    ),
    (
        "Luc Moreau",
        None,
        None,
        ["family"],
        "3w",
        "1993-04-18",
        "Brother",
        "luc.moreau@mail.example",
        "ok",
    ),
    ("Rose Dubois", None, None, ["family"], "2w", "1939-04-02", "Grandma", None, "soon"),
    (
        "Fatima Zahra",
        "Founders Circle",
        "Community lead",
        ["community"],
        "2m",
        None,
        "Runs the founders mixer",
        "fatima@founderscircle.example",
        "ok",
    ),
    (
        "Henrik Larsen",
        "TechWeekly",
        "Journalist",
        ["press"],
        "quarterly",
        None,
        "Wrote about our launch",
        "henrik@techweekly.example",
        "ok",
    ),
    (
        "Carlos Mendes",
        "TalentBridge",
        "Recruiter",
        [],
        None,
        None,
        "Helped us hire Sam Ortiz",
        "carlos@talentbridge.example",
        "quiet",
    ),
    (
        "Greg Holloway",
        "PrintCo",
        "Sales",
        ["vendor"],
        "quarterly",
        None,
        "Our old printing vendor",
        "greg@printco.example",
        "archived",
    ),
]

ALIASES = {"Linda Moreau": ["Mom"], "Paul Moreau": ["Dad"], "Rose Dubois": ["Grandma"]}
PHONES = {
    "Linda Moreau": "+33 6 12 34 56 78",
    "Alice Chen": "+1 415 555 0142",
    "Marcus Webb": "+1 206 555 0199",
}
LINKS = {
    "Alice Chen": "https://www.linkedin.com/in/alice-chen-example",
    "Olivia Brandt": "https://www.linkedin.com/in/olivia-brandt-example",
}
NOTES = {
    "Alice Chen": "Two kids; loves trail running. Renewal in June.",
    "Margaret Hughes": "Prefers a call to email. Ask about her foundation.",
    "Olivia Brandt": "Evaluating three vendors; decision in Q2.",
}

KINDS_BY_TAG = {
    "customer": ["call", "meeting", "lunch", "email", "video"],
    "prospect": ["call", "email", "video", "coffee"],
    "vendor": ["email", "call", "meeting"],
    "partner": ["call", "lunch", "video"],
    "competitor": ["coffee", "lunch", "message"],
    "colleague": ["coffee", "lunch", "message"],
    "mentor": ["coffee", "call", "lunch"],
    "investor": ["call", "email", "coffee"],
    "friend": ["coffee", "dinner", "message", "call"],
    "family": ["call", "dinner", "message", "video"],
    "community": ["coffee", "message", "event"],
    "press": ["email", "call"],
    "": ["email", "call"],
}
NOTES_BY_KIND = {
    "call": [
        "Quick catch-up",
        "Went over the roadmap",
        "Talked about their hiring plans",
        "Checked in after the release",
    ],
    "meeting": ["Quarterly review", "Planning session", "Demo of the new dashboard"],
    "lunch": ["Lunch near their office", "Talked about the Q3 launch", "Long lunch, lots of ideas"],
    "email": ["Sent the latest update", "Answered their questions", "Shared the case study"],
    "video": ["Video call on the integration", "Walked through pricing"],
    "coffee": ["Coffee, caught up on life", "Coffee before work", "Compared notes over coffee"],
    "dinner": ["Dinner at home", "Birthday dinner", "Tried the new ramen place"],
    "message": ["Exchanged a few messages", "Sent photos", "Chatted about the weekend"],
    "event": ["Saw them at the meetup"],
}
STATE_GAP = {"ok": (0.25, 0.8), "soon": (0.82, 0.97), "late": (1.25, 2.4), "quiet": (0.0, 0.0)}
CADENCE_DAYS = {
    "1w": 7,
    "2w": 14,
    "3w": 21,
    "6w": 42,
    "1m": 30,
    "2m": 61,
    "quarterly": 91,
    "6m": 182,
}


def main() -> None:
    rng = random.Random(20260226)
    contacts = []
    interactions: list[dict] = []
    for number, person in enumerate(PEOPLE, start=1):
        name, company, title, tags, cadence, birthday, met, email, state = person
        contacts.append(
            {
                "id": number,
                "name": name,
                "aliases": ALIASES.get(name, []),
                "company": company,
                "title": title,
                "emails": [email] if email else [],
                "phones": [PHONES[name]] if name in PHONES else [],
                "links": [LINKS[name]] if name in LINKS else [],
                "tags": tags,
                "met": met,
                "birthday": birthday,
                "cadence": cadence,
                "notes": NOTES.get(name),
                "archived": state == "archived",
                "added_on": START.isoformat(),
            }
        )
        kinds = KINDS_BY_TAG[tags[0] if tags else ""]
        period = CADENCE_DAYS.get(cadence or "", 75)
        if state == "due":
            from rel.domain.dates import parse_cadence

            last = parse_cadence(cadence).soft.before(TODAY)
        elif state == "quiet":
            last = TODAY - timedelta(days=rng.randint(20, 120))
        elif state == "archived":
            last = START + timedelta(days=40)
        else:
            low, high = STATE_GAP[state]
            last = TODAY - timedelta(days=max(1, round(period * rng.uniform(low, high))))
        when = last
        while when >= START:
            kind = rng.choice(kinds)
            interactions.append(
                {
                    "date": when.isoformat(),
                    "kind": kind,
                    "note": rng.choice(NOTES_BY_KIND[kind]),
                    "direction": "them" if rng.random() < 0.3 else "me",
                    "with": [number],
                }
            )
            when -= timedelta(days=max(3, round(period * rng.uniform(0.7, 1.25))))
    by_name = {c["name"]: c["id"] for c in contacts}

    def together(day: str, kind: str, note: str, names: list[str], direction: str = "me") -> None:
        people = [by_name[n] for n in names]
        interactions.append(
            {"date": day, "kind": kind, "note": note, "direction": direction, "with": people}
        )

    # mixers and group moments, several people at once
    together(
        "2025-05-15",
        "event",
        "Founders mixer (spring)",
        ["Julia Novak", "Fatima Zahra", "Amara Nwosu", "Yuki Sato"],
    )
    together(
        "2025-10-09",
        "event",
        "Founders mixer (autumn)",
        ["Julia Novak", "Fatima Zahra", "Grace Liu", "Henrik Larsen"],
    )
    together(
        "2025-12-24",
        "dinner",
        "Christmas Eve",
        ["Linda Moreau", "Paul Moreau", "Claire Moreau", "Luc Moreau", "Rose Dubois"],
    )
    # favors, both ways
    together("2025-06-03", "help", "He introduced us to two customers", ["Ben Carter"], "them")
    together("2025-09-18", "help", "She reviewed our pitch deck", ["Margaret Hughes"], "them")
    together("2025-11-20", "help", "Reviewed his pitch deck", ["Ahmed Khan"])
    together("2025-07-22", "help", "Recommended two engineers to us", ["Carlos Mendes"], "them")
    interactions.sort(key=lambda i: (i["date"], i["with"]))
    document = {
        "format": "rel",
        "version": 1,
        "today": TODAY.isoformat(),
        "contacts": contacts,
        "interactions": interactions,
    }
    target = Path(__file__).with_name("network.json")
    target.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{target}: {len(contacts)} contacts, {len(interactions)} interactions")


if __name__ == "__main__":
    main()
