"""Ordinary text of children's services projects: each item must be accepted, even as
public text. Dates, money, counts, years, references, codes and the helplines that public
pages rightly signpost; every false alarm here would block a save."""

from __future__ import annotations

ORDINARY_TEXT: list[str] = [
    # Financial and academic years
    "Funded for 2015/16 and 2016/17.",
    "The 2024-25 budget was agreed in February.",
    "Savings in 2023/24, 2024/25 and 2025/26",
    "FY2024-25 outturn",
    "financial years 2015/16 to 2024/25",
    "2015/16-2016/17 pilot",
    "academic year 2023-2024",
    # Money
    "cost £12,500.00",
    "£1,234,567.89 over the whole programme",
    "£125,000 a year, £2.5m in total",
    "a saving of £1 234 567.89 once",
    "unit cost £943.47 per child, £65.91 per session",
    "£40,000 + £8,000 = £48,000",
    # Counts, ratios, percentages
    "Children missing from home fell from 45 -> 24 in six months.",
    "45 in July 2021, 24 in January 2022",
    "78% engaged; up 9.8% on 2023/24",
    "12.5 points at KS4; 1,250 families reached",
    "ratio 1.57, payback 14 months",
    "18 fellows across 3 local authorities",
    "caseloads of 12 34 56 and 78 in four teams",
    "Q1 45 Q2 24 Q3 18",
    "scored 3/5, 4/5 and 5/5",
    # Event dates with no birth cue
    "started on 3 April 2025",
    "The pilot began 1 April 2022.",
    "launched 03/04/2025 with 12 families",
    "The steering group met on 03/10/2023 and 14-11-2023; next review 2025-01-31.",
    "Meeting on 2024-04-01 at 10:30",
    "2024-04-01 10:30 board",
    "Review dates: 01.04.2025 12:00 and 01.10.2025 14:00",
    "period 2024-04-01 - 2025-03-31",
    "from 03/10/2023 - 14/11/2023",
    "The service celebrates its third year on 1 April 2025.",
    "Born in Bradford began 1 March 2007",
    "born out of the 2019 review and launched on 1 April 2022",
    "the newborn pathway launched on 1 April 2022",
    "Mr Dobson joined 1 April 2022",
    "born in March 2015",  # no day: not a full date
    "She was born in Leeds. The pilot began 1 April 2022.",
    "the team's birthday party on 1 April 2099",  # in the future: no one's birth
    "DOB recorded in the case file, not here",
    # Inspections, references, codes, versions
    "Ofsted inspection 2019: good; 2023: outstanding",
    "Ofsted URN 123456; inspection 50123456",
    "Ofsted URNs SC123456 and 2501234",
    "Ofsted ref. 2024-0117",
    "report RPT-2024-0117",
    "Report no. 2023/117/04",
    "contract CT/2023/00451/07",
    "Contract C-2024-118, lot 3",
    "grant code GR-2024-117",
    "grant ref DfE-CSC-2023-0456",
    "Innovation Programme grant IP2 0117",
    "version 2.3.1",
    "release v10.2.0 of the app",
    "ISBN 978-0-00-000000-0",
    "https://www.gov.uk/government/publications/working-together",
    "Find out more at gov.uk",
    "See our page at www.example.org.uk",
    "@InsetTeam on social media",
    "we looked at the dot plot",
    "by 100 000 a year",
    "at 123456 a time",
    "QQ 12 34 56 C",
    "AB123456",
    "ab 12 34 56",
    "results at KS4 1st and 2nd",
    "e2 3rd",
    "Y10 2nd",
    "the M1 motorway and the A1 2nd junction",
    "SW1A",
    "in the M1 corridor and SW1A",
    # Helplines: services, not people
    "Childline 0800 1111",
    "NSPCC 0808 800 5000",
    "Samaritans 116 123",
    "call 116 111",
    # Other figures close to identifiers
    "0770 090 012",
    "07700 9001234",
    "0207 946 095",
    "9434765918",  # a wrong check digit
    "943 476 5918",
    "19434765919",  # eleven digits
    "0.9434765919",
    "£9 434 765 919",
]
