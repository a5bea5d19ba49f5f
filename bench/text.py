"""Seeded, plausible practice texts: titles, summaries and 500–800-word Markdown bodies."""

import random

SECTIONS = ("Description", "Resources needed", "Evidence of success", "Difficulties encountered",
            "Potential for learning or transfer")
ADJECTIVES = ("Regional", "Open", "Shared", "Digital", "Green", "Smart", "Cross-border", "Local", "Joint", "Rapid")
NOUNS = ("innovation vouchers", "cluster academy", "test bed", "skills platform", "model factory", "data hub",
         "mentoring network", "energy audit scheme", "maker space", "export desk", "hackathon series",
         "living lab", "circular economy pilot", "procurement challenge", "incubator", "design sprint programme")
AUDIENCES = ("small manufacturers", "start-ups", "family firms", "rural SMEs", "cluster members", "craft businesses",
             "young entrepreneurs", "food producers", "tourism firms", "municipalities")
KINDS = ("Regional Development Agency of {}", "{} Innovation Agency", "Chamber of Commerce of {}",
         "{} Cluster Association", "University Technology Centre, {}", "Business Support Office of {}")
TOPICS = ("digitalisation", "Industry 4.0", "energy efficiency", "skills", "clusters", "open data", "circular economy",
          "internationalisation", "design", "automation", "vouchers", "mentoring", "innovation", "procurement",
          "artificial intelligence", "cybersecurity", "logistics")
SENTENCES = (
    "The {org} designed the {noun} after a survey of {n} firms in {region} showed that most lacked time rather than money.",
    "Each participant worked with an adviser for {weeks} weeks, mapping its processes and choosing one realistic first step.",
    "The programme was deliberately small at the start, so that the team could learn what firms really asked for.",
    "Partners from universities and vocational schools joined the steering group in the second year.",
    "Firms paid a modest share of the cost themselves, which made them commit to the work and follow it through.",
    "Most of the activity took place on the firms' own premises, not in meeting rooms far from the shop floor.",
    "A public call was published twice a year, with a simple two-page application and a decision within {weeks} weeks.",
    "The team kept a shared list of questions from firms and turned the most frequent ones into short guides.",
    "Local media covered the first results, which brought in a second wave of applicants from outside the main towns.",
    "Regional politicians were kept informed through a short quarterly note rather than long formal reports.",
    "Where a firm needed specialised help, the {noun} put it in touch with a vetted expert from its network.",
    "The approach builds on earlier work on {topic} in {region}, but opens it to firms that never took part before.",
    "An evaluation after {years} years found that {pct} % of the participating firms had introduced a new product or process.",
    "Feedback forms were short, and the team called every firm that rated a session below average.",
    "Because the rules were simple, the administrative cost stayed below {pct} % of the budget.",
    "Several firms went on to apply for larger national or European funding after their first project.",
    "The {org} now uses the same model for {topic}, with a dedicated adviser.",
    "Success depended on trust: advisers were people with industry experience, not only public officials.",
)
BULLETS = (
    "a coordinator who knows the regional economy", "{n} hours of expert advice per firm", "an online booking tool",
    "a small budget for events and travel", "a shared workshop with basic equipment", "training for advisers",
    "a yearly budget of about EUR {k} 000", "support from the regional statistics office", "partnership agreements with {n} schools",
    "a steering group that meets every quarter", "a simple monitoring spreadsheet", "legal advice on State aid rules",
)
DIFFICULTIES = (
    "Reaching the smallest firms was harder than expected; many had never heard of the agency.",
    "State aid rules limited what could be given to a single firm, which made larger projects slow.",
    "Advisers with the right mix of technical and business skills were scarce and hard to keep.",
    "In the first year the application form was too long, and several firms gave up half way.",
    "Measuring long-term effects is difficult, because firms change for many reasons at once.",
    "Co-ordination with national schemes took time, as some firms were eligible for both.",
)


def title(rng: random.Random) -> str:
    """A practice title (titles repeat across a big corpus, as they do in real databases)."""
    return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} for {rng.choice(AUDIENCES)}"


def summary(rng: random.Random, region: str) -> str:
    """One or two sentences for cards and search results."""
    return (f"A {rng.choice(NOUNS)} that helps {rng.choice(AUDIENCES)} in {region} with {rng.choice(TOPICS)}. "
            f"It reached {rng.randint(20, 900)} firms in its first {rng.randint(2, 6)} years.")


def organisation(rng: random.Random, region: str) -> str:
    """The institution running the practice."""
    return rng.choice(KINDS).format(region)


def keywords(rng: random.Random) -> list[str]:
    """Two to five keywords."""
    return rng.sample(TOPICS, rng.randint(2, 5))


def fill(template: str, rng: random.Random, region: str, org: str) -> str:
    """A template with its blanks filled in."""
    return template.format(org=org, region=region, noun=rng.choice(NOUNS), topic=rng.choice(TOPICS),
                           n=rng.randint(3, 400), k=rng.randint(40, 900), weeks=rng.randint(2, 16),
                           years=rng.randint(2, 6), pct=rng.randint(5, 60))


def paragraph(rng: random.Random, region: str, org: str, pool=SENTENCES) -> str:
    """Three to five sentences, sometimes with emphasis or a link."""
    sentences = [fill(sentence, rng, region, org) for sentence in rng.sample(pool, min(len(pool), rng.randint(3, 5)))]
    if rng.random() < 0.3:
        sentences[0] = f"**{sentences[0]}**"
    if rng.random() < 0.25:
        sentences.append(f"More is on the [partner's website](https://www.example.org/{rng.randint(1, 999)}/).")
    return " ".join(sentences)


def bullets(rng: random.Random, region: str, org: str) -> str:
    """A short bulleted list."""
    return "\n".join(f"- {fill(item, rng, region, org)}" for item in rng.sample(BULLETS, rng.randint(3, 5)))


def results_table(rng: random.Random) -> str:
    """A small table of yearly results."""
    start = rng.randint(2015, 2019)
    rows = [f"| {start + i} | {rng.randint(10, 200)} | {rng.randint(1, 60)} |" for i in range(rng.randint(2, 4))]
    return "\n".join(["| Year | Firms supported | New products |", "|---|---:|---:|", *rows])


def section(rng: random.Random, heading: str, region: str, org: str) -> list[str]:
    """The blocks of one standard section."""
    blocks = [f"## {heading}", paragraph(rng, region, org)]
    if heading == "Resources needed":
        blocks.append(bullets(rng, region, org))
    elif heading == "Evidence of success" and rng.random() < 0.5:
        blocks.append(results_table(rng))
    elif heading == "Difficulties encountered":
        blocks.append(paragraph(rng, region, org, DIFFICULTIES))
    return blocks


def body(rng: random.Random, region: str, org: str) -> str:
    """A Markdown body of 500–800 words with the five standard sections in order."""
    target = rng.randint(500, 720)  # the last paragraph overshoots by up to ~80 words
    sections = {heading: section(rng, heading, region, org) for heading in SECTIONS}
    count = sum(len(block.split()) for blocks in sections.values() for block in blocks)
    while count < target:
        heading = rng.choice(SECTIONS)
        extra = paragraph(rng, region, org, DIFFICULTIES if heading == "Difficulties encountered" else SENTENCES)
        sections[heading].append(extra)
        count += len(extra.split())
    if rng.random() < 0.3:
        sections["Evidence of success"][1] += "[^1]"
        sections["Potential for learning or transfer"].append(f"[^1]: Evaluation report of the {org}, {rng.randint(2017, 2023)}.")
    return "\n\n".join(block for blocks in sections.values() for block in blocks)
