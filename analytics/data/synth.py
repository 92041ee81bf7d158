"""Sample and synthetic data that mirrors the programs behind Kizuna.

At its default size, :func:`generate` makes the bundled sample: the Social
Innovation Forum: Japan cohorts of 2011-2014 (nearly forty leaders), the
TOMODACHI Microsoft iLEAP cohorts of 2016, 2017 Spring, 2017 Summer and 2018
(25, 25, 18 and 24 scholars), and the five-country Asian research network
(China, Japan, Singapore, South Korea, Thailand). The partner institutions the
programs name are organizations; every alum, NPO and social business is
fictional. With ``alumni=N`` the same generator makes larger sets of the same
shape (about five ties per alum) for scale work. The output is the same for
the same seed and size.

>>> tables = generate()
>>> len(tables["alumni"]), tables["alumni"]["program"].nunique()
(146, 3)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analytics.data.schema import LIST_SEPARATOR, TABLES

DEFAULT_SEED = 311
LAST_YEAR = 2026

SIFJ = "Social Innovation Forum: Japan"
ILEAP = "TOMODACHI Microsoft iLEAP"
ASIA = "Asia Social Innovation Research Network"

# (program, cohort, cohort_year, size) as the programs' own accounts give them.
SEED_COHORTS = (
    (SIFJ, "2011", 2011, 10), (SIFJ, "2012", 2012, 10), (SIFJ, "2013", 2013, 10),
    (SIFJ, "2014", 2014, 9),
    (ILEAP, "2016", 2016, 25), (ILEAP, "2017 Spring", 2017, 25),
    (ILEAP, "2017 Summer", 2017, 18), (ILEAP, "2018", 2018, 24),
    (ASIA, "2016-2017", 2016, 15),
)
DEFAULT_ALUMNI = sum(c[3] for c in SEED_COHORTS)

# Later cohorts that only the larger synthetic sets use.
LATER_COHORTS = tuple(
    c for year in range(2019, LAST_YEAR + 1) for c in (
        (ILEAP, f"{year} Spring", year, 25), (ILEAP, f"{year} Summer", year, 20),
        (SIFJ, str(year), year, 10), (ASIA, str(year), year, 15))
)

CAUSES = {
    SIFJ: ("disaster recovery", "renewable energy", "aging", "community revitalization",
           "education"),
    ILEAP: ("youth entrepreneurship", "education", "environment", "income disparity", "aging",
            "disaster recovery"),
    ASIA: ("income disparity", "environment", "education", "youth entrepreneurship"),
}
ALL_CAUSES = tuple(dict.fromkeys(c for causes in CAUSES.values() for c in causes))

# Places by country: (region, city, weight). Tohoku carries SIFJ's work.
PLACES = {
    "JP": (("Miyagi", "Ishinomaki", 6), ("Miyagi", "Sendai", 6), ("Miyagi", "Kesennuma", 3),
           ("Iwate", "Rikuzentakata", 3), ("Iwate", "Kamaishi", 3),
           ("Fukushima", "Minamisoma", 3), ("Fukushima", "Aizuwakamatsu", 2),
           ("Tokyo", "Tokyo", 8), ("Kanagawa", "Yokohama", 3), ("Osaka", "Osaka", 3),
           ("Kyoto", "Kyoto", 2), ("Hiroshima", "Hiroshima", 1), ("Fukuoka", "Fukuoka", 2),
           ("Hokkaido", "Sapporo", 1), ("Okinawa", "Naha", 1), ("Aichi", "Nagoya", 1)),
    "US": (("Washington", "Seattle", 6), ("California", "San Francisco", 2),
           ("New York", "New York", 2), ("Hawaii", "Honolulu", 1),
           ("District of Columbia", "Washington", 1), ("Oregon", "Portland", 1)),
    "CN": (("Shanghai", "Shanghai", 1), ("Beijing", "Beijing", 1)),
    "KR": (("Seoul", "Seoul", 1),),
    "SG": (("Singapore", "Singapore", 1),),
    "TH": (("Bangkok", "Bangkok", 1), ("Chiang Mai", "Chiang Mai", 1)),
}

# Romanized and local names. Combinations are fictional.
NAMES = {
    "JP": (
        (("Sato", "佐藤"), ("Suzuki", "鈴木"), ("Takahashi", "高橋"), ("Tanaka", "田中"),
         ("Watanabe", "渡辺"), ("Yamamoto", "山本"), ("Nakamura", "中村"), ("Kobayashi", "小林"),
         ("Kato", "加藤"), ("Yoshida", "吉田"), ("Yamada", "山田"), ("Sasaki", "佐々木"),
         ("Abe", "阿部"), ("Chiba", "千葉"), ("Kikuchi", "菊地"), ("Endo", "遠藤"),
         ("Onodera", "小野寺"), ("Saito", "斎藤"), ("Kondo", "近藤"), ("Ishii", "石井")),
        (("Haruka", "遥"), ("Yui", "結衣"), ("Kenta", "健太"), ("Daiki", "大輝"), ("Aoi", "葵"),
         ("Sora", "空"), ("Mei", "芽衣"), ("Riku", "陸"), ("Hana", "花"), ("Yuto", "悠斗"),
         ("Misaki", "美咲"), ("Takumi", "拓海"), ("Nanami", "七海"), ("Ren", "蓮"),
         ("Sakura", "さくら"), ("Kaito", "海斗"), ("Ayaka", "彩花"), ("Shota", "翔太"),
         ("Mao", "真央"), ("Hinata", "ひなた")),
    ),
    "CN": ((("Chen", "陈"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Zhou", "周")),
           (("Jing", "静"), ("Hao", "浩"), ("Min", "敏"), ("Lei", "磊"), ("Yan", "燕"))),
    "KR": ((("Kim", "김"), ("Park", "박"), ("Choi", "최"), ("Jung", "정"), ("Kang", "강")),
           (("Ji-woo", "지우"), ("Min-seo", "민서"), ("Seo-jun", "서준"), ("Ha-eun", "하은"),
            ("Do-yun", "도윤"))),
    "SG": ((("Tan", "陈"), ("Lim", "林"), ("Ng", "黄"), ("Goh", "吴"), ("Teo", "张")),
           (("Wei Ling", "慧玲"), ("Jun Jie", "俊杰"), ("Xin Yi", "欣怡"), ("Kai Wen", "凯文"),
            ("Hui Min", "慧敏"))),
    "TH": ((("Srisuk", "ศรีสุข"), ("Chaiyaporn", "ชัยพร"), ("Wongsa", "วงศา"),
            ("Rattana", "รัตนา"), ("Boonmee", "บุญมี")),
           (("Ananya", "อนัญญา"), ("Niran", "นิรันดร์"), ("Pim", "พิมพ์"), ("Kittipat", "กิตติพัฒน์"),
            ("Mali", "มะลิ"))),
}
NAMES["US"] = NAMES["JP"]  # alumni in the US are Japanese scholars who moved there

ROLES = ("Founder", "Co-founder", "Executive Director", "Program Manager", "Coordinator",
         "Researcher", "Project Lead", "Board Member", "Volunteer Leader", "Student")

# Partner institutions the programs' own accounts name.
NAMED_ORGS = (
    ("ORG-ILEAP", "iLEAP", "US", "Washington", "nonprofit",
     "youth entrepreneurship;education", "https://ileap.example.org"),
    ("ORG-CGP", "Japan Foundation Center for Global Partnership", "JP", "Tokyo", "foundation",
     "disaster recovery;education", ""),
    ("ORG-USJC", "U.S.-Japan Council", "US", "District of Columbia", "network",
     "disaster recovery;youth entrepreneurship", ""),
    ("ORG-MSFT", "Microsoft", "US", "Washington", "business", "education;youth entrepreneurship",
     ""),
    ("ORG-MSJ", "Microsoft Japan Co., Ltd.", "JP", "Tokyo", "business", "education", ""),
    ("ORG-ETIC", "ETIC.", "JP", "Tokyo", "nonprofit", "youth entrepreneurship;disaster recovery",
     ""),
    ("ORG-TOMODACHI", "TOMODACHI Initiative", "JP", "Tokyo", "network",
     "youth entrepreneurship;education", ""),
    ("ORG-TOYOTA", "Toyota Foundation", "JP", "Tokyo", "foundation",
     "income disparity;environment", ""),
    ("ORG-KEIO", "Keio University", "JP", "Kanagawa", "academic",
     "income disparity;environment;education", ""),
)

# Who funds each program, with a yearly grant range in US dollars.
FUNDERS = {
    SIFJ: (("ORG-CGP", 120_000, 220_000), ("ORG-USJC", 30_000, 70_000)),
    ILEAP: (("ORG-MSFT", 220_000, 360_000), ("ORG-TOMODACHI", 40_000, 90_000)),
    ASIA: (("ORG-TOYOTA", 60_000, 95_000),),
}
# Which partner institutions each program's alumni are tied to, and how.
PROGRAM_PARTNERS = {
    SIFJ: (("ORG-ILEAP", "mentorship"), ("ORG-USJC", "advisory"), ("ORG-CGP", "funding")),
    ILEAP: (("ORG-MSFT", "mentorship"), ("ORG-ILEAP", "mentorship"), ("ORG-ETIC", "advisory"),
            ("ORG-MSJ", "advisory"), ("ORG-TOMODACHI", "peer")),
    ASIA: (("ORG-KEIO", "research"), ("ORG-TOYOTA", "funding")),
}

ORG_WORDS = {
    "JP": (("Sanriku", "Tohoku", "Kesennuma", "Ishinomaki", "Minamisoma", "Kamaishi", "Sendai",
            "Tokyo", "Osaka", "Fukushima", "Kyoto", "Setouchi"),
           ("Hope", "Green", "Tide", "Bridge", "Harbor", "Sakura", "Kizuna", "Hikari", "Sun",
            "Forest")),
    "US": (("Cascadia", "Rainier", "Pacific", "Puget", "Emerald", "Golden Gate", "Hudson"),
           ("Youth", "Civic", "Impact", "Bridge", "Commons", "Futures")),
    "CN": (("Shanghai", "Beijing", "Yangtze"), ("Commons", "Impact", "Green")),
    "KR": (("Seoul", "Han River", "Mapo"), ("Social Economy", "Impact", "Commons")),
    "SG": (("Lion City", "Straits", "Marina"), ("Impact", "Collective", "Commons")),
    "TH": (("Bangkok", "Chiang Mai", "Chao Phraya"), ("Civic", "Green", "Impact")),
}
ORG_NOUNS = {
    "nonprofit": ("Network", "Association", "Circle", "Kitchen", "Support Center"),
    "social business": ("Works", "Cooperative", "Ventures", "Market"),
    "business": ("Partners", "Co.", "Holdings"),
    "government": ("City Recovery Office", "Community Affairs Desk"),
    "academic": ("Institute", "Social Innovation Lab", "Research Center"),
    "foundation": ("Fund", "Foundation"),
    "network": ("Council", "Alliance"),
}
ORG_TYPE_SHARE = {"nonprofit": .45, "social business": .2, "business": .1, "government": .07,
                  "academic": .1, "foundation": .04, "network": .04}
ORG_COUNTRY_SHARE = {"JP": .64, "US": .2, "CN": .04, "KR": .04, "SG": .04, "TH": .04}

PROJECT_PHRASES = {
    "disaster recovery": ("Temporary Housing Support", "Rebuilding Workshop", "Coastal Memory Archive"),
    "renewable energy": ("Community Solar", "Micro-Hydro Cooperative", "Biomass Heat Project"),
    "aging": ("Seniors' Digital Café", "Elder Care Circle", "Intergenerational Kitchen"),
    "community revitalization": ("Shopping Street Revival", "Vacant House Renewal", "Fishermen's Market"),
    "education": ("After-School Learning", "Youth Coding Club", "Global Classroom"),
    "environment": ("Coastal Forest Replanting", "Zero-Waste Market", "River Clean-up Network"),
    "income disparity": ("Single-Parent Job Bridge", "Microcredit Circle", "Food Bank Link"),
    "youth entrepreneurship": ("Youth Startup Lab", "Student Venture Fund", "Changemaker Camp"),
}
PROJECT_SUMMARY = {
    "disaster recovery":
        "Helps households displaced by the 2011 disaster rebuild daily life and livelihoods.",
    "renewable energy": "Builds locally owned clean energy so the town keeps its power and its income.",
    "aging": "Connects elderly residents with neighbours, care and the skills to stay independent.",
    "community revitalization":
        "Brings people, shops and events back to a town centre emptied by depopulation.",
    "education": "Gives young people learning chances their schools and families cannot offer alone.",
    "environment": "Restores local ecosystems with volunteers, schools and businesses.",
    "income disparity": "Opens paths to stable work and income for families left behind.",
    "youth entrepreneurship": "Trains young people to turn their ideas for their community into ventures.",
}
NOTES = {
    "mentorship": "Seattle advisor pairing", "advisory": "Advisor to the alum's project",
    "research": "Joint research and workshops", "funding": "Grant relationship",
    "co-project": "Working together on a change project", "peer": "Cohort peers",
}


def generate(alumni: int | None = None, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Return the tables of a synthetic dataset, with columns in contract order.

    Parameters
    ----------
    alumni : int, optional
        Number of alumni. The default makes the bundled sample, whose cohorts
        mirror the programs' own accounts; other sizes spread alumni over
        these and later cohorts in the same proportions.
    seed : int
        Seed of the random generator: the same seed and size give the same data.

    Returns
    -------
    dict of str to DataFrame
        One DataFrame of text cells per table, keyed by table name.
    """
    rng = np.random.default_rng(seed)
    n = DEFAULT_ALUMNI if alumni is None else int(alumni)
    if n < 1:
        raise ValueError("alumni must be at least 1")
    orgs = _organizations(rng, max(45, n // 4))
    people = _alumni(rng, n, orgs)
    ties = _partnerships(rng, people, orgs)
    projects = _projects(rng, people, orgs)
    funding = _funding(rng, people)
    tables = {"organizations": orgs, "alumni": people, "partnerships": ties,
              "projects": projects, "funding": funding, "targets": _targets(people)}
    return {name: tables[name][TABLES[name].column_names] for name in TABLES}


def write(tables: dict[str, pd.DataFrame], out: str | Path) -> list[Path]:
    """Write each table as ``NAME.csv`` (UTF-8) in ``out`` and return the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in tables.items():
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False, lineterminator="\n")
        paths.append(path)
    return paths


def _cohorts(n: int) -> pd.DataFrame:
    template = SEED_COHORTS if n == DEFAULT_ALUMNI else SEED_COHORTS + LATER_COHORTS
    frame = pd.DataFrame(template, columns=["program", "cohort", "cohort_year", "size"])
    if n != DEFAULT_ALUMNI:  # largest-remainder split of n in the template's proportions
        share = frame["size"] / frame["size"].sum() * n
        sizes = np.floor(share).astype(int)
        extra = n - sizes.sum()
        sizes[np.argsort(-(share - sizes), kind="stable")[:extra]] += 1
        frame["size"] = sizes
    return frame[frame["size"] > 0]


def _pick(rng, options, size, weights=None):
    options = list(options)
    p = None if weights is None else np.asarray(weights, float) / np.sum(weights)
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p)]


def _organizations(rng, fictional: int) -> pd.DataFrame:
    named = pd.DataFrame(NAMED_ORGS, columns=TABLES["organizations"].column_names)
    country = _pick(rng, ORG_COUNTRY_SHARE, fictional, list(ORG_COUNTRY_SHARE.values()))
    org_type = _pick(rng, ORG_TYPE_SHARE, fictional, list(ORG_TYPE_SHARE.values()))
    names, regions, causes = [], [], []
    for c, t in zip(country, org_type, strict=True):
        places, words = ORG_WORDS[c]
        names.append(" ".join((places[rng.integers(len(places))], words[rng.integers(len(words))],
                               ORG_NOUNS[t][rng.integers(len(ORG_NOUNS[t]))])))
        region = PLACES[c][rng.integers(len(PLACES[c]))][0]
        regions.append(region)
        causes.append(LIST_SEPARATOR.join(
            rng.choice(ALL_CAUSES, size=rng.integers(1, 3), replace=False)))
    # Names repeat by chance; a number keeps each one distinct, as in a real registry.
    names = pd.Series(names)
    repeat = names.groupby(names).cumcount()
    names = names.where(repeat == 0, names + " " + (repeat + 1).astype(str))
    fictional_orgs = pd.DataFrame({
        "org_id": [f"O{i:05d}" for i in range(1, fictional + 1)], "name": names,
        "country": country, "region": regions, "org_type": org_type, "causes": causes,
        "website": "",
    })
    return pd.concat([named, fictional_orgs], ignore_index=True)


def _alumni(rng, n: int, orgs: pd.DataFrame) -> pd.DataFrame:
    cohorts = _cohorts(n)
    rows = cohorts.loc[cohorts.index.repeat(cohorts["size"])].reset_index(drop=True)
    program = rows["program"].to_numpy()
    # The research network drew its members evenly from its five countries.
    five = np.resize(np.array(("CN", "JP", "KR", "SG", "TH"), dtype=object), n)
    country = np.where(program == ASIA, five,
                       np.where((program == ILEAP) & (rng.random(n) < .08), "US", "JP"))
    surname, given, local, region, city = [], [], [], [], []
    for i, c in enumerate(country):
        sur, giv = NAMES[c]
        s, g = sur[rng.integers(len(sur))], giv[rng.integers(len(giv))]
        surname.append(s[0])
        given.append(g[0])
        local.append(s[1] + g[1] if c in ("CN", "KR", "SG") else f"{s[1]} {g[1]}"
                     if c in ("JP", "US") else f"{g[1]} {s[1]}")
        # SIFJ worked with the Tohoku disaster zone: its alumni live there more often.
        places = PLACES[c][:7] if program[i] == SIFJ and rng.random() < .7 else PLACES[c]
        weights = np.array([p[2] for p in places], float)
        r, ct, _ = places[rng.choice(len(places), p=weights / weights.sum())]
        region.append(r)
        city.append(ct)
    causes = [LIST_SEPARATOR.join(rng.choice(CAUSES[p], size=rng.integers(1, 4), replace=False))
              for p in program]
    width = max(4, len(str(n)))
    ids = [f"A{i:0{width}d}" for i in range(1, n + 1)]
    org_of = _orgs_in_country(rng, orgs, country, share_with_org=.85)
    directory = rng.random(n) < .75
    public = directory & (rng.random(n) < .45)
    return pd.DataFrame({
        "alum_id": ids,
        "name": [f"{g} {s}" for g, s in zip(given, surname, strict=True)],
        "name_local": local, "program": program, "cohort": rows["cohort"],
        "cohort_year": rows["cohort_year"].astype(str), "country": country, "region": region,
        "city": city, "causes": causes, "organization_id": org_of,
        "role": _pick(rng, ROLES, n),
        "email": [f"{g.lower().replace(' ', '')}.{s.lower()}.{i[1:]}@example.org"
                  for g, s, i in zip(given, surname, ids, strict=True)],
        "phone": [("+1-206-555-" if c == "US" else "+81-90-0000-") + i[-4:]
                  for c, i in zip(country, ids, strict=True)],
        "consent_directory": np.where(directory, "yes", "no"),
        "consent_public": np.where(public, "yes", "no"),
    })


def _orgs_in_country(rng, orgs: pd.DataFrame, country: np.ndarray, share_with_org: float):
    """Pick a fictional organization in each person's country, or none."""
    fictional = orgs[orgs["org_id"].str.startswith("O")]
    result = np.full(len(country), "", dtype=object)
    for c in np.unique(country):
        mine = np.flatnonzero(country == c)
        pool = fictional.loc[fictional["country"] == c, "org_id"].to_numpy()
        if len(pool) == 0:
            continue
        has = rng.random(len(mine)) < share_with_org
        result[mine[has]] = pool[rng.integers(len(pool), size=has.sum())]
    return result


def _partnerships(rng, people: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    n = len(people)
    ids = people["alum_id"].to_numpy()
    year = people["cohort_year"].astype(int).to_numpy()
    program = people["program"].to_numpy()
    primary = people["causes"].str.split(LIST_SEPARATOR).str[0].to_numpy()
    cohort = (people["program"] + people["cohort"]).to_numpy()

    def same_group(keys, members):
        """For each member, a random other alum with the same key."""
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.searchsorted(sorted_keys, keys[members], side="left")
        ends = np.searchsorted(sorted_keys, keys[members], side="right")
        return order[starts + (rng.random(len(members)) * (ends - starts)).astype(int)]

    parts = []
    # Cohort peers and co-projects between alumni who share a cause.
    src = rng.integers(n, size=int(1.4 * n))
    peer = rng.random(len(src)) < .5
    dst = np.where(peer, same_group(cohort, src), same_group(primary, src))
    parts.append((ids[src], ids[dst], np.where(peer, "peer", "co-project"),
                  np.maximum(year[src], year[dst])))
    # Mentorship, advisory, research and funding ties to the programs' partners.
    src = rng.integers(n, size=int(1.2 * n))
    partners = [PROGRAM_PARTNERS[p] for p in program[src]]
    pick = [pp[rng.integers(len(pp))] for pp in partners]
    parts.append((ids[src], np.array([p[0] for p in pick], dtype=object),
                  np.array([p[1] for p in pick], dtype=object), year[src]))
    # Ties to other organizations: co-projects at home, advisors abroad.
    src = rng.integers(n, size=int(1.1 * n))
    org_ids = orgs["org_id"].to_numpy()
    abroad = rng.random(len(src)) < .35
    dst = np.where(abroad, org_ids[rng.integers(len(org_ids), size=len(src))],
                   _orgs_in_country(rng, orgs, people["country"].to_numpy()[src], 1.0))
    parts.append((ids[src], dst, np.where(abroad, "advisory", "co-project"),
                  year[src] + rng.integers(0, 4, size=len(src))))
    # Funders and partners supporting organizations.
    k = max(10, n // 5)
    funders = orgs.loc[orgs["org_type"].isin(["foundation", "business", "government"]), "org_id"]
    parts.append((funders.to_numpy()[rng.integers(len(funders), size=k)],
                  org_ids[rng.integers(len(org_ids), size=k)], np.full(k, "funding", dtype=object),
                  rng.integers(2011, LAST_YEAR + 1, size=k)))

    frame = pd.DataFrame({
        "source_id": np.concatenate([p[0] for p in parts]),
        "target_id": np.concatenate([p[1] for p in parts]),
        "kind": np.concatenate([p[2] for p in parts]),
        "start_year": np.minimum(np.concatenate([p[3] for p in parts]), LAST_YEAR),
    })
    frame = frame[(frame["source_id"] != frame["target_id"]) & (frame["target_id"] != "")]
    pair = np.where(frame["source_id"] < frame["target_id"],
                    frame["source_id"] + "|" + frame["target_id"],
                    frame["target_id"] + "|" + frame["source_id"])
    frame = frame[~pd.Series(pair, index=frame.index).duplicated()].reset_index(drop=True)
    m = len(frame)
    # Older ties have more often ended: staff need a real re-engagement list.
    age = LAST_YEAR - frame["start_year"].to_numpy()
    ended = rng.random(m) < np.minimum(0.85, 0.1 * age)
    end = frame["start_year"] + rng.integers(1, 6, size=m)
    frame["end_year"] = np.where(ended & (end <= LAST_YEAR), end.astype(str), "")
    frame["start_year"] = frame["start_year"].astype(str)
    frame["weight"] = rng.choice([1, 1, 1, 2, 2, 3, 4, 5], size=m).astype(str)
    frame["note"] = frame["kind"].map(NOTES)
    frame.insert(0, "partnership_id", [f"T{i:06d}" for i in range(1, m + 1)])
    return frame


def _projects(rng, people: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    n = len(people)
    count = max(5, int(.6 * n))
    # Forum alumni were already leading organizations: they lead more projects.
    weight = np.where(people["program"] == SIFJ, 3.0, 1.0)
    lead = rng.choice(n, size=count, p=weight / weight.sum())
    leads = people.iloc[lead].reset_index(drop=True)
    cause = leads["causes"].str.split(LIST_SEPARATOR).map(lambda c: c[rng.integers(len(c))])
    start = np.minimum(leads["cohort_year"].astype(int) + rng.integers(0, 4, size=count),
                       LAST_YEAR)
    age = LAST_YEAR - start
    status = np.where(age >= 4, _pick(rng, ("completed", "completed", "active", "paused"), count),
                      _pick(rng, ("active", "active", "planned", "completed"), count))
    status = np.where(start == LAST_YEAR, "planned", status)
    end = np.where(status == "completed",
                   np.minimum(start + rng.integers(1, 4, size=count), LAST_YEAR).astype(str), "")
    beneficiaries = np.where(status == "planned", 0,
                             np.round(rng.lognormal(5.6, 1.1, size=count))).astype(int)
    funds = np.round(rng.lognormal(9.8, 1.2, size=count), -2)
    funds = np.where((status == "planned") | (rng.random(count) < .12), 0, funds).astype(int)
    org_ids = orgs["org_id"].to_numpy()
    alum_ids = people["alum_id"].to_numpy()
    partner_ids = []
    for i in range(count):
        k = rng.integers(0, 4)
        chosen = [org_ids[j] if rng.random() < .7 else alum_ids[rng.integers(n)]
                  for j in rng.integers(len(org_ids), size=k)]
        partner_ids.append(LIST_SEPARATOR.join(
            p for p in dict.fromkeys(chosen) if p != leads.at[i, "alum_id"]))
    phrase = [PROJECT_PHRASES[c][rng.integers(3)] for c in cause]
    width = max(4, len(str(count)))
    return pd.DataFrame({
        "project_id": [f"PRJ{i:0{width}d}" for i in range(1, count + 1)],
        "title": [f"{city} {p}" for city, p in zip(leads["city"], phrase, strict=True)],
        "lead_alum_id": leads["alum_id"], "cause": cause, "country": leads["country"],
        "region": leads["region"], "start_year": start.astype(str), "end_year": end,
        "status": status, "beneficiaries": beneficiaries.astype(str),
        "funds_raised_usd": funds.astype(str), "partner_ids": partner_ids,
        "summary": cause.map(PROJECT_SUMMARY),
    })


def _funding(rng, people: pd.DataFrame) -> pd.DataFrame:
    years = people.groupby("program")["cohort_year"].agg(lambda y: sorted(set(y.astype(int))))
    rows = []
    for program, program_years in years.items():
        for year in program_years:
            for funder, low, high in FUNDERS[program]:
                amount = int(round(rng.uniform(low, high), -3))
                rows.append((funder, program, str(year), str(amount)))
    return pd.DataFrame(rows, columns=TABLES["funding"].column_names)


def _targets(people: pd.DataFrame) -> pd.DataFrame:
    """Targets the programs set themselves: the alumni each year's cohorts were planned for."""
    planned = people.groupby("cohort_year").size()
    # Plans run a little ahead of what happened, as plans do.
    rows = [("alumni", str(year), str(int(round(count * 1.1)))) for year, count in planned.items()]
    return pd.DataFrame(rows, columns=TABLES["targets"].column_names)
