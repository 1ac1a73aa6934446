"""Made-up but realistic patient data: the demo pharmacy and the benchmarks draw from here.

Names are common US names; phone numbers use the 555-01xx range reserved for fiction.
"""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips "
    "Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook "
    "Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward "
    "Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez "
    "Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan "
    "Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson "
    "Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera "
    "Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison "
    "Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker "
    "Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason "
    "Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox "
    "Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan "
    "Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos "
    "Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews "
    "Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Pena Richards Contreras Willis "
    "Carpenter Lawrence Sandoval O'Brien O'Connor Nunez Novak Kowalski Schneider Yamamoto Singh"
)

FIRST_NAMES_F = _words(
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty "
    "Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah "
    "Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma "
    "Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather "
    "Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith "
    "Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn "
    "Janice Jean Abigail Alice Judy Sophia Grace Denise Amber Doris Marilyn Danielle Beverly "
    "Isabella Theresa Diana Natalie Brittany Charlotte Marie Kayla Alexis Lori Rosa Lucia Mei"
)

FIRST_NAMES_M = _words(
    "James Robert John Michael David William Richard Joseph Thomas Christopher Charles Daniel "
    "Matthew Anthony Mark Donald Steven Andrew Paul Joshua Kenneth Kevin Brian George Timothy "
    "Ronald Jason Edward Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin "
    "Scott Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry "
    "Tyler Aaron Jose Adam Nathan Henry Zachary Douglas Peter Kyle Noah Ethan Jeremy Walter "
    "Christian Keith Roger Terry Austin Sean Gerald Carl Harold Dylan Arthur Lawrence Jordan "
    "Jesse Bryan Billy Bruce Gabriel Joe Logan Alan Juan Albert Willie Elijah Wayne Randy Vincent "
    "Mason Roy Ralph Bobby Russell Bradley Philip Eugene Luis Carlos Miguel Wei Hiroshi Raj"
)

MIDDLE_INITIALS = "ABCDEFGHJKLMNPRST"

STREETS = (
    "Maple Avenue",
    "Oak Street",
    "Elm Street",
    "Washington Street",
    "Lincoln Avenue",
    "Park Road",
    "Cedar Lane",
    "Pine Street",
    "Lakeview Drive",
    "Sunset Boulevard",
    "Meadow Lane",
    "Hillcrest Drive",
    "River Road",
    "Church Street",
    "Prairie Avenue",
    "Walnut Street",
)

# (city, state, ZIP prefix, area code): central Illinois around the demo pharmacy.
PLACES = (
    ("Springfield", "IL", "627", "217"),
    ("Chatham", "IL", "626", "217"),
    ("Rochester", "IL", "626", "217"),
    ("Decatur", "IL", "625", "217"),
    ("Jacksonville", "IL", "626", "217"),
    ("Lincoln", "IL", "626", "217"),
    ("Taylorville", "IL", "625", "217"),
    ("Bloomington", "IL", "617", "309"),
)

LANGUAGES = ("English",) * 17 + ("Spanish", "Spanish", "Vietnamese", "Polish", "Chinese")

# (allergen, kind, reaction, severity), weighted by how often pharmacies see them.
ALLERGIES = (
    ("sulfonamides", "class", "rash", "moderate"),
    ("sulfonamides", "class", "hives", "severe"),
    ("penicillins", "class", "hives", "moderate"),
    ("penicillins", "class", "anaphylaxis", "severe"),
    ("NSAIDs", "class", "GI bleeding", "severe"),
    ("NSAIDs", "class", "stomach upset", "mild"),
    ("codeine", "ingredient", "nausea and vomiting", "mild"),
    ("opioids", "class", "itching", "mild"),
    ("cephalosporins", "class", "rash", "moderate"),
    ("parabens", "class", "contact dermatitis", "moderate"),
    ("lanolin", "class", "contact dermatitis", "mild"),
    ("latex", "text", "hives", "moderate"),
    ("ACE inhibitors", "class", "angioedema", "severe"),
    ("macrolides", "class", "diarrhea", "mild"),
    ("ibuprofen", "ingredient", "wheezing", "moderate"),
    ("aspirin", "ingredient", "wheezing", "severe"),
    ("fluoroquinolones", "class", "tendon pain", "moderate"),
    ("tetracyclines", "class", "photosensitivity", "mild"),
    ("peanut oil", "class", "throat swelling", "severe"),
    ("dyes", "class", "itching", "unknown"),
    ("shellfish", "text", "hives", "unknown"),
)

# (name, code, BIN, PCN, processor, help desk phone): fictional plans, realistic formats.
PAYERS = (
    ("Prairie Medicare Rx (Part D)", "MEDRX", "610097", "9999", "OptumRx", "(800) 555-0101"),
    ("Heartland Blue PPO", "HBLUE", "003858", "A4", "Express Scripts", "(800) 555-0102"),
    (
        "Illinois Medicaid Fee-for-Service",
        "ILMCD",
        "610084",
        "DRILPROD",
        "Gainwell",
        "(800) 555-0103",
    ),
    ("Lakeshore Employer Plan", "LAKES", "004336", "ADV", "CVS Caremark", "(800) 555-0104"),
    (
        "Harvest Health Commercial",
        "HARVH",
        "015581",
        "03200000",
        "Humana Pharmacy Solutions",
        "(800) 555-0105",
    ),
    ("County Discount Card", "CDISC", "610602", "NVT", "Navitus", "(800) 555-0106"),
)


def patient_values(rng, today, number: int = 0) -> dict:
    """One made-up patient's columns, search keys included (ready for insert_many).

    rng is a random.Random (seed it for repeatable data); ages 0-95, skewed older as a
    pharmacy's patients are.
    """
    from datetime import timedelta

    from portal.foundation.dates import utcnow
    from portal.patients.rules import format_phone, name_key, phone_digits

    female = rng.random() < 0.54
    first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
    last = rng.choice(LAST_NAMES)
    age_days = int(min(95, max(0, rng.triangular(0, 95, 68))) * 365.25) + rng.randrange(365)
    city, state, zip_prefix, area = rng.choice(PLACES)
    phone = (
        format_phone(f"{area}555{rng.randrange(100, 200):04d}")
        if rng.random() < 0.1
        else (format_phone(f"{area}{rng.randrange(200, 999)}{rng.randrange(10000):04d}"))
    )
    alt = ""
    if rng.random() < 0.3:
        alt = format_phone(f"{area}{rng.randrange(200, 999)}{rng.randrange(10000):04d}")
    now = utcnow()
    return {
        "last_name": last,
        "first_name": first,
        "middle_name": rng.choice(MIDDLE_INITIALS) if rng.random() < 0.4 else "",
        "last_name_key": name_key(last),
        "first_name_key": name_key(first),
        "date_of_birth": today - timedelta(days=age_days),
        "sex": "F" if female else "M",
        "address_line1": f"{rng.randrange(1, 9999)} {rng.choice(STREETS)}",
        "address_line2": "",
        "city": city,
        "state": state,
        "postal_code": f"{zip_prefix}{rng.randrange(100):02d}",
        "phone": phone,
        "phone_digits": phone_digits(phone),
        "alt_phone": alt,
        "alt_phone_digits": phone_digits(alt),
        "email": "",
        "preferred_language": rng.choice(LANGUAGES),
        "notes": "",
        "allergy_status": "not_asked",
        "allergies_reviewed_at": None,
        "active": True,
        "created_at": now,
        "updated_at": now,
    }


def allergy_draw(rng) -> list[tuple[str, str, str, str]]:
    """0-3 distinct allergies; about a third of patients have at least one."""
    count = rng.choices((0, 1, 2, 3), weights=(66, 24, 8, 2))[0]
    chosen, seen = [], set()
    while len(chosen) < count:
        allergy = rng.choice(ALLERGIES)
        if allergy[0] not in seen:
            seen.add(allergy[0])
            chosen.append(allergy)
    return chosen
