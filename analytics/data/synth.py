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

Beside them: outcome surveys in the programs' own rhythm (iLEAP's first phase
and final report session, the forum's follow-ups a year and three years on, the
research network's two workshops), with the share of alumni who do not answer
growing with time; yearly people reached for some projects; how each tie began;
and the introductions staff recorded, some of which became ties. These are drawn
from random streams of their own, so the tables above are the same with or
without them.

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
# The surveys' waves, in order, and the share of those asked who answer each: most answer while
# the program runs, fewer once it is over.
WAVES = ("baseline", "exit", "one year", "three years")
RESPONSE = {"baseline": .9, "exit": .8, "one year": .68, "three years": .6}
# When each iLEAP cohort was surveyed: in Phase 1 in Japan (baseline) and at the final report
# session after Phase 3 (exit), as the program's accounts date them.
ILEAP_SURVEYS = {"2016": ("2016-07-15", "2016-11-30"), "2017 Spring": ("2017-01-20", "2017-04-14"),
                 "2017 Summer": ("2017-07-10", "2018-02-16"), "2018": ("2018-07-02", "2018-11-17")}

# (indicator, unit, IRIS+ code, share of respondents who skip it)
INDICATORS = (
    ("Cross-border collaborations", "count", "", .04),
    ("Confidence leading cross-sector change", "score 1-5", "", .02),
    ("People reached by the alum's work", "people", "PI4060", .12),
)
PROJECT_INDICATOR = ("People reached by the project", "people", "PI4060")
# By program: confidence at baseline (1-5), cross-border collaborations at baseline (a mean),
# people reached at baseline (log of a median) and the share who reach nobody yet. Forum alumni
# already led organizations; iLEAP scholars were 18 to 25; the network's members were researchers.
BASELINES = {SIFJ: (3.1, .6, 5.8, .02), ILEAP: (2.4, .2, 3.0, .45), ASIA: (3.0, 1.2, 4.8, .1)}
# What each wave adds: confidence, collaborations, log of people reached, and how much of the
# share reaching nobody remains.
GAINS = {"baseline": (0, 0, 0, 1), "exit": (.9, .8, .7, .35), "one year": (.8, 1.2, 1.2, .25),
         "three years": (1.0, 1.7, 1.8, .15)}

# How each kind of tie began: shares of cohort, forum, staff introduction, suggested
# introduction and other, before the ties whose origin was not recorded are taken out.
ORIGINS = ("cohort", "forum", "staff introduction", "suggested introduction", "other")
ORIGIN_SHARES = {  # by kind of tie, in the order _tie_origins tells them apart
    "peer": (.92, .06, 0, 0, .02),
    "cohort co-project": (.65, .15, .06, 0, .14),
    "co-project": (0, .4, .26, .1, .24),
    "program partner": (.72, .12, .12, 0, .04),
    "organization": (0, .3, .24, .06, .4),
    "between organizations": (0, .2, .12, 0, .68),
}
# Staff have recorded their introductions in Kizuna since INTRODUCTIONS_FROM; Kizuna has
# suggested introductions since SUGGESTIONS_FROM.
INTRODUCTIONS_FROM = 2019
SUGGESTIONS_FROM = 2020
STAFF = ("Emi Takeda", "Daniel Brooks", "Yuko Mori", "Sarah Nakano")

# Separate random streams (numpy SeedSequence entropy [seed, n]) for the parts added after the
# first tables, so that those stay as they were.
STREAMS = {"origins": 1, "outcomes": 2, "introductions": 3}

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

    def stream(name):
        return np.random.default_rng([seed, STREAMS[name]])

    ties["origin"] = _tie_origins(stream("origins"), ties, people)
    tables = {"organizations": orgs, "alumni": people, "partnerships": ties,
              "projects": projects, "funding": funding, "targets": _targets(people),
              "outcomes": _outcomes(stream("outcomes"), people, projects),
              "introductions": _introductions(stream("introductions"), ties, people, orgs)}
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


def _objects(values) -> pd.Series:
    """Text as a plain object Series: pandas' hash tables, not Arrow strings boxed one by one."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def _positions(index: pd.Index, values) -> np.ndarray:
    """Where each value is in ``index``, -1 where it is not."""
    return index.get_indexer(np.asarray(values, dtype=object))


def _tie_origins(rng, ties: pd.DataFrame, people: pd.DataFrame) -> np.ndarray:
    """How each tie began: by its ends and kind, with about one in seven not recorded."""
    alumni = pd.Index(people["alum_id"].to_numpy(object), dtype=object)
    src, dst = _positions(alumni, ties["source_id"]), _positions(alumni, ties["target_id"])
    programs = list(PROGRAM_PARTNERS)
    program = people["program"].map({p: i for i, p in enumerate(programs)}).to_numpy(int)
    cohort = pd.factorize(people["program"] + "|" + people["cohort"])[0]
    both = (src >= 0) & (dst >= 0)
    same_cohort = both & (cohort[src] == cohort[dst])
    alum = np.where(src >= 0, src, dst)  # the alum of a tie between an alum and an organization
    alum_program = np.where(alum >= 0, program[alum], -1)
    org = np.where(src >= 0, ties["target_id"].to_numpy(object), ties["source_id"].to_numpy(object))
    is_partner = np.zeros(len(ties), bool)
    for i, name in enumerate(programs):
        mine = alum_program == i
        is_partner[mine] = np.isin(org[mine], [o for o, _ in PROGRAM_PARTNERS[name]])
    peer = both & (ties["kind"] == "peer").to_numpy()
    group = np.select([peer, same_cohort, both, is_partner, alum >= 0], [0, 1, 2, 3, 4], 5)
    shares = np.array(list(ORIGIN_SHARES.values()), float)[group]
    start = ties["start_year"].astype(int).to_numpy()
    # Kizuna's suggestions are recent: before them, the same share were staff introductions.
    early = start < SUGGESTIONS_FROM
    shares[early, 2] += shares[early, 3]
    shares[early, 3] = 0
    cumulative = np.cumsum(shares / shares.sum(axis=1, keepdims=True), axis=1)
    draw = rng.random(len(ties))
    origin = np.asarray(ORIGINS, dtype=object)[
        np.minimum((draw[:, None] > cumulative).sum(axis=1), len(ORIGINS) - 1)]
    # Older ties were recorded before anyone asked how they began.
    not_recorded = rng.random(len(ties)) < np.where(start < 2015, .25, .11)
    return np.where(not_recorded, "", origin)


def _survey_waves(people: pd.DataFrame) -> pd.DataFrame:
    """Each cohort's survey waves (``order`` is the wave's place in WAVES), up to LAST_YEAR."""
    rows = []
    cohorts = people[["program", "cohort", "cohort_year"]].drop_duplicates()
    for program, cohort, year in cohorts.itertuples(index=False):
        year = int(year)
        if program == ILEAP:
            spring = cohort.endswith("Spring")
            dates = ILEAP_SURVEYS.get(cohort) or (
                (f"{year}-01-20", f"{year}-04-14") if spring else (f"{year}-07-10", f"{year}-11-30"))
            waves = WAVES
        elif program == SIFJ:
            dates, waves = (f"{year}-06-01", f"{year}-12-01"), WAVES
        else:  # the research network's workshops: Seoul in November, Tokyo the next April
            dates, waves = (f"{year}-11-15", f"{year + 1}-04-20"), WAVES[:2]
        exit_year = int(dates[1][:4])
        dates = (*dates, f"{exit_year + 1}{dates[1][4:]}", f"{exit_year + 3}{dates[1][4:]}")
        rows += [(program, cohort, i, wave, int(date[:4]), date)
                 for i, (wave, date) in enumerate(zip(waves, dates, strict=False))
                 if int(date[:4]) <= LAST_YEAR]
    return pd.DataFrame(rows, columns=["program", "cohort", "order", "wave", "year", "date"])


def _outcomes(rng, people: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Every alum's answers in each wave their cohort was surveyed, blank where not answered;
    and people reached each year by the projects that report it."""
    waves = _survey_waves(people)
    asked = (people[["alum_id", "program", "cohort"]].reset_index(names="person")
             .merge(waves, on=["program", "cohort"])
             .sort_values(["person", "order"], kind="stable").reset_index(drop=True))
    n, m = len(people), len(asked)
    person, order = asked["person"].to_numpy(), asked["order"].to_numpy()
    ability = rng.standard_normal(n)
    # Those doing well answer more often: later waves flatter a little, as real follow-ups do.
    engaged = .5 * ability + np.sqrt(.75) * rng.standard_normal(n)
    rate = np.array([RESPONSE[w] for w in WAVES])[order]
    answered = rng.random(m) < 1 / (1 + np.exp(-(np.log(rate / (1 - rate)) + engaged[person])))
    base = np.array(list(BASELINES.values()), float)[
        asked["program"].map({p: i for i, p in enumerate(BASELINES)}).to_numpy(int)]
    gain = np.array([GAINS[w] for w in WAVES], float)[order]
    z = ability[person]
    confidence = np.clip(np.rint(base[:, 0] + gain[:, 0] + .5 * z + rng.normal(0, .6, m)), 1, 5)
    collaborations = rng.poisson((base[:, 1] + gain[:, 1]) * np.exp(.35 * z))
    scale = rng.normal(0, .8, n)[person]  # some work at a town's scale, some at a nation's
    reach = np.rint(np.exp(base[:, 2] + gain[:, 2] + .4 * z + scale + rng.normal(0, .35, m)))
    reach = np.where(rng.random(m) < base[:, 3] * gain[:, 3], 0, reach)
    parts = []
    for (indicator, unit, iris, skip), value in zip(
            INDICATORS, (collaborations, confidence, reach), strict=True):
        given = answered & (rng.random(m) >= skip)
        parts.append(pd.DataFrame({
            "subject_id": asked["alum_id"], "wave": asked["wave"], "year": asked["year"],
            "date": asked["date"], "indicator": indicator,
            "value": np.where(given, value.astype(int).astype(str), ""), "unit": unit,
            "iris_code": iris, "row": np.arange(m)}))
    alumni = pd.concat(parts, ignore_index=True).sort_values("row", kind="stable")
    return pd.concat([alumni.drop(columns="row"), _project_reach(rng, projects)],
                     ignore_index=True).assign(year=lambda f: f["year"].astype(str))


def _project_reach(rng, projects: pd.DataFrame) -> pd.DataFrame:
    """People reached each year by about half the active and completed projects.

    The years add up to the project's ``beneficiaries``, reach growing as the project does; a
    year whose report never came is blank. Years run to the one before LAST_YEAR, the last
    whole year.
    """
    start = projects["start_year"].astype(int).to_numpy()
    end = pd.to_numeric(projects["end_year"], errors="coerce").fillna(LAST_YEAR - 1)
    last = np.minimum(end.astype(int).to_numpy(), LAST_YEAR - 1)
    total = projects["beneficiaries"].astype(int).to_numpy()
    reports = (projects["status"].isin(["active", "completed"]).to_numpy() & (total > 0)
               & (rng.random(len(projects)) < .5) & (last >= start))
    years = np.where(reports, last - start + 1, 0)
    which = np.repeat(np.arange(len(projects)), years)
    step = np.arange(len(which)) - np.repeat(np.cumsum(years) - years, years)  # 0, 1, ... each
    weight = (step + 1) / np.repeat(years * (years + 1) / 2, years)
    value = np.floor(total[which] * weight).astype(int)
    final = step == years[which] - 1
    shortfall = total - np.bincount(which, weights=value, minlength=len(projects)).astype(int)
    value[final] += shortfall[which[final]]
    reported = rng.random(len(which)) >= .08
    indicator, unit, iris = PROJECT_INDICATOR
    return pd.DataFrame({
        "subject_id": projects["project_id"].to_numpy(object)[which],
        "wave": "year " + _objects(step + 1).astype(str), "year": start[which] + step,
        "date": "", "indicator": indicator, "value": np.where(reported, value.astype(str), ""),
        "unit": unit, "iris_code": iris})


def _introductions(rng, ties: pd.DataFrame, people: pd.DataFrame,
                   orgs: pd.DataFrame) -> pd.DataFrame:
    """Introductions staff recorded: those behind the ties that began with one, and others that
    did not (yet) become a tie."""
    start = ties["start_year"].astype(int).to_numpy()
    origin = ties["origin"].to_numpy(object)
    made = (((origin == "staff introduction") | (origin == "suggested introduction"))
            & (start >= INTRODUCTIONS_FROM))
    suggested = origin[made] == "suggested introduction"
    # Most ties began the year of the introduction; some the year after.
    year = start[made] - (rng.random(made.sum()) < .35)
    year = np.maximum(year, np.where(suggested, SUGGESTIONS_FROM, INTRODUCTIONS_FROM))
    # Every alum and organization as a number: alumni first, then organizations.
    n = len(people)
    ids = people["alum_id"].to_numpy(object)
    nodes = pd.Index(np.concatenate([ids, orgs["org_id"].to_numpy(object)]), dtype=object)
    tie_src, tie_dst = _positions(nodes, ties["source_id"]), _positions(nodes, ties["target_id"])
    swap = rng.random(made.sum()) < .5
    first = np.where(swap, tie_dst[made], tie_src[made])
    second = np.where(swap, tie_src[made], tie_dst[made])
    cohort_year = people["cohort_year"].astype(int).to_numpy()

    def joined(node):  # the year an alum joined the programs; 0 for an organization
        return np.where(node < n, cohort_year[np.minimum(node, n - 1)], 0)

    year = np.maximum(year, np.maximum(joined(first), joined(second)))

    # Others, nearly as many again, that did not become ties: an alum and another alum with the
    # same main cause, or an organization.
    primary = people["causes"].str.replace(f"{LIST_SEPARATOR}.*", "", regex=True).to_numpy(object)
    k = max(8, round(.12 * n), round(.8 * made.sum()))
    a = rng.integers(n, size=k)
    order = np.argsort(primary, kind="stable")
    lo = np.searchsorted(primary[order], primary[a], side="left")
    hi = np.searchsorted(primary[order], primary[a], side="right")
    peer = order[lo + (rng.random(k) * (hi - lo)).astype(int)]
    to_org = rng.random(k) < .4
    other = np.where(to_org, n + rng.integers(len(orgs), size=k), peer)
    earliest = np.maximum(INTRODUCTIONS_FROM, np.where(
        to_org, cohort_year[a], np.maximum(cohort_year[a], cohort_year[peer])))
    other_year = earliest + (rng.random(k) * (LAST_YEAR + 1 - earliest)).astype(int)
    other_suggested = (other_year >= SUGGESTIONS_FROM) & (rng.random(k) < .45)

    first, second = np.concatenate([first, a]), np.concatenate([second, other])
    size = len(nodes)
    pair = np.minimum(first, second).astype(np.int64) * size + np.maximum(first, second)
    tied = np.minimum(tie_src, tie_dst).astype(np.int64) * size + np.maximum(tie_src, tie_dst)
    # The others are between two not already tied, and never to themselves; no pair twice.
    others = np.arange(len(pair)) >= made.sum()
    keep = (~(others & (pd.Series(pair).isin(tied).to_numpy() | (first == second)))
            & ~pd.Series(pair).duplicated().to_numpy())
    first, second = first[keep], second[keep]
    year = np.concatenate([year, other_year])[keep]
    suggested = np.concatenate([suggested, other_suggested])[keep]
    m = len(first)
    month, day = rng.integers(1, 13, size=m), rng.integers(1, 29, size=m)
    cause, causes = pd.factorize(primary)
    first_cause = np.where(first < n, cause[np.minimum(first, n - 1)], -1)
    second_cause = np.where(second < n, cause[np.minimum(second, n - 1)], -2)
    note = np.select(
        [first_cause == second_cause, (first < n) | (second < n)],
        ["Both work on " + np.asarray(causes, dtype=object)[np.maximum(first_cause, 0)],
         "Introduced for advice on the alum's project"],
        "Introduced as a possible funder or partner")
    date = (_objects(year).astype(str) + "-" + _objects(month).astype(str).str.zfill(2)
            + "-" + _objects(day).astype(str).str.zfill(2))
    node_ids = nodes.to_numpy(object)
    frame = pd.DataFrame({
        "first_id": node_ids[first], "second_id": node_ids[second], "year": year.astype(str),
        "date": date.to_numpy(object), "made_by": _pick(rng, STAFF, m),
        "suggested": np.where(suggested, "yes", "no"), "note": note})
    return frame.sort_values(["date", "first_id", "second_id"], kind="stable").reset_index(drop=True)
