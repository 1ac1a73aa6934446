# ruff: noqa: E501  (one row per line reads as the table it is)
"""The starter knowledge base every pharmacy gets (migration 0100), each row with its source.

Classes follow the FDA's Established Pharmacologic Classes (EPC, SPL indexing) for the
catalog's ingredients and the drugs screening.md names; excipient classes cover what a
compound's inactive ingredients can carry. Pharmacists extend or correct it on the
knowledge base pages, or import a licensed file's tables.
"""

from __future__ import annotations

from functools import cache

from portal.catalog.knowledge.rules import (
    ClassFact,
    CrossFact,
    InteractionFact,
    Knowledge,
    MemberFact,
)

EPC = "FDA Established Pharmacologic Class (SPL indexing)"
EXCIPIENT = "Excipient allergen class (FDA Inactive Ingredient Database names)"
STROM = "Strom et al., N Engl J Med 2003;349:1628 (sulfonamide cross-reactivity)"
AAAAI = "AAAAI/ACAAI Drug Allergy Practice Parameter 2022 (beta-lactam cross-reactivity)"
ONC = "ONC high-priority DDI list, Phansalkar et al., JAMIA 2012;19:735-743"
FDA_BOXED_2016 = "FDA boxed warning, Aug 2016 (opioids with benzodiazepines)"
LABEL = "FDA-approved labeling (contraindications)"
SCREENING = "Mortar starter set (common clinical practice; review it for your pharmacy)"

# name: (members, allergy reaches the class, duplication class, kind, source)
_CLASSES: dict[str, tuple[tuple[str, ...], bool, bool, str, str]] = {
    "Penicillins": (("penicillin g", "penicillin v", "amoxicillin", "ampicillin", "dicloxacillin", "nafcillin", "oxacillin", "piperacillin"), True, False, "drug", EPC),
    "Cephalosporins": (("cephalexin", "cefadroxil", "cefaclor", "cefazolin", "cefuroxime", "cefprozil", "cefdinir", "cefpodoxime", "cefixime", "ceftriaxone", "cefepime"), True, False, "drug", EPC),
    "Carbapenems": (("imipenem", "meropenem", "ertapenem", "doripenem"), True, False, "drug", EPC),
    "Macrolides": (("erythromycin", "azithromycin", "clarithromycin"), True, False, "drug", EPC),
    "Sulfonamides": (("sulfamethoxazole", "sulfadiazine", "sulfisoxazole", "sulfacetamide", "sulfasalazine"), True, False, "drug", EPC),
    # Strom 2003: little cross-reactivity with the antibiotics; an allergy to one of these
    # does not reach the others.
    "Non-antibiotic sulfonamides": (("furosemide", "hydrochlorothiazide", "celecoxib", "sumatriptan"), False, False, "drug", STROM),
    "Fluoroquinolones": (("ciprofloxacin", "levofloxacin", "moxifloxacin", "ofloxacin"), True, False, "drug", EPC),
    "Tetracyclines": (("tetracycline", "doxycycline", "minocycline"), True, False, "drug", EPC),
    "NSAIDs": (("aspirin", "ibuprofen", "naproxen", "ketoprofen", "diclofenac", "indomethacin", "ketorolac", "meloxicam", "piroxicam", "etodolac", "nabumetone", "flurbiprofen", "oxaprozin", "sulindac", "mefenamic acid", "celecoxib"), True, True, "drug", EPC),
    "ACE inhibitors": (("lisinopril", "enalapril", "ramipril", "benazepril", "quinapril", "captopril", "fosinopril"), True, False, "drug", EPC),
    "Angiotensin II receptor blockers": (("losartan", "valsartan", "irbesartan", "candesartan", "olmesartan", "telmisartan"), False, False, "drug", EPC),
    # Duplication: an ACE inhibitor with an ARB, or two of either (screening.md).
    "Renin-angiotensin blockers": (("lisinopril", "enalapril", "ramipril", "benazepril", "quinapril", "captopril", "fosinopril", "losartan", "valsartan", "irbesartan", "candesartan", "olmesartan", "telmisartan"), False, True, "drug", SCREENING),
    "Opioids": (("morphine", "codeine", "hydrocodone", "oxycodone", "hydromorphone", "oxymorphone", "fentanyl", "meperidine", "methadone", "tramadol", "tapentadol", "buprenorphine"), False, False, "drug", EPC),
    # Morphine-like opioids cross-react; fentanyl and meperidine much less (screening.md).
    "Phenanthrene opioids": (("morphine", "codeine", "hydrocodone", "oxycodone", "hydromorphone", "oxymorphone", "levorphanol"), True, False, "drug", SCREENING),
    "Benzodiazepines": (("alprazolam", "lorazepam", "diazepam", "clonazepam", "temazepam", "chlordiazepoxide", "clorazepate", "midazolam", "triazolam", "oxazepam"), True, True, "drug", EPC),
    "SSRIs": (("sertraline", "fluoxetine", "paroxetine", "citalopram", "escitalopram", "fluvoxamine"), False, True, "drug", EPC),
    "SNRIs": (("venlafaxine", "desvenlafaxine", "duloxetine", "levomilnacipran"), False, True, "drug", EPC),
    "MAO inhibitors": (("phenelzine", "tranylcypromine", "isocarboxazid", "selegiline", "rasagiline", "linezolid"), False, False, "drug", EPC),
    "Serotonergic drugs": (("sertraline", "fluoxetine", "paroxetine", "citalopram", "escitalopram", "fluvoxamine", "venlafaxine", "desvenlafaxine", "duloxetine", "levomilnacipran", "tramadol", "meperidine", "dextromethorphan", "methadone", "fentanyl"), False, False, "drug", SCREENING),
    "PDE5 inhibitors": (("sildenafil", "tadalafil", "vardenafil", "avanafil"), False, False, "drug", EPC),
    "Nitrates": (("nitroglycerin", "isosorbide mononitrate", "isosorbide dinitrate"), False, False, "drug", EPC),
    "Strong CYP3A4 inhibitors": (("clarithromycin", "itraconazole", "ketoconazole", "posaconazole", "voriconazole", "ritonavir", "cobicistat", "nefazodone"), False, False, "drug", "FDA Drug Development and Drug Interactions: Table of Substrates, Inhibitors and Inducers"),
    "Protease inhibitors": (("ritonavir", "atazanavir", "darunavir", "lopinavir", "saquinavir"), False, False, "drug", EPC),
    "Proton pump inhibitors": (("omeprazole", "esomeprazole", "lansoprazole", "pantoprazole", "rabeprazole", "dexlansoprazole"), False, True, "drug", EPC),
    "Azole antifungals": (("ketoconazole", "itraconazole", "fluconazole", "posaconazole", "voriconazole"), False, False, "drug", EPC),
    "Ergot alkaloids": (("ergotamine", "dihydroergotamine", "methylergonovine"), False, False, "drug", EPC),
    "Potassium-sparing diuretics": (("spironolactone", "eplerenone", "amiloride", "triamterene"), False, False, "drug", EPC),
    "Potassium supplements": (("potassium chloride", "potassium citrate", "potassium bicarbonate"), False, False, "drug", EPC),
    "HMG-CoA reductase inhibitors": (("atorvastatin", "simvastatin", "lovastatin", "pravastatin", "rosuvastatin", "pitavastatin"), False, True, "drug", EPC),
    "Corticosteroids": (("hydrocortisone", "prednisone", "prednisolone", "methylprednisolone", "dexamethasone", "triamcinolone"), False, False, "drug", EPC),
    "Amide local anesthetics": (("lidocaine", "bupivacaine", "mepivacaine", "ropivacaine", "prilocaine"), True, False, "drug", EPC),
    "Gabapentinoids": (("gabapentin", "pregabalin"), False, True, "drug", SCREENING),
    "Vitamin K antagonists": (("warfarin",), False, True, "drug", EPC),
    "Folate analog metabolic inhibitors": (("methotrexate",), False, False, "drug", EPC),
    "Dihydrofolate reductase inhibitors": (("trimethoprim",), False, False, "drug", EPC),
    "Central alpha-2 adrenergic agonists": (("tizanidine", "clonidine", "guanfacine"), False, False, "drug", EPC),
    "Melatonin receptor agonists": (("ramelteon", "tasimelteon"), False, False, "drug", EPC),
    "Typical antipsychotics": (("pimozide", "haloperidol", "chlorpromazine", "thioridazine"), False, False, "drug", EPC),
    "Amphetamines": (("amphetamine", "dextroamphetamine", "lisdexamfetamine", "methamphetamine"), False, True, "drug", EPC),
    "Tricyclic antidepressants": (("amitriptyline", "nortriptyline", "imipramine", "desipramine", "doxepin", "clomipramine", "protriptyline", "trimipramine"), False, True, "drug", EPC),
    "Triptans": (("sumatriptan", "rizatriptan", "zolmitriptan", "naratriptan", "eletriptan", "almotriptan", "frovatriptan"), False, True, "drug", EPC),
    "Strong CYP3A4 inducers": (("rifampin", "carbamazepine", "phenytoin", "apalutamide", "enzalutamide", "mitotane", "st. john's wort"), False, False, "drug", "FDA Drug Development and Drug Interactions: Table of Substrates, Inhibitors and Inducers"),
    "High-risk QT-prolonging drugs": (("amiodarone", "dofetilide", "dronedarone", "sotalol", "quinidine", "disopyramide", "pimozide", "thioridazine"), False, False, "drug", ONC),
    "Xanthine oxidase inhibitors": (("allopurinol", "febuxostat"), False, True, "drug", EPC),
    "Thiopurines": (("azathioprine", "mercaptopurine", "thioguanine"), False, False, "drug", EPC),
    "Topoisomerase inhibitors": (("irinotecan", "topotecan"), False, False, "drug", EPC),
    "Alkylating drugs": (("procarbazine",), False, False, "drug", EPC),
    "Parabens": (("methylparaben", "ethylparaben", "propylparaben", "butylparaben"), True, False, "excipient", EXCIPIENT),
    "Propylene glycol": (("propylene glycol",), True, False, "excipient", EXCIPIENT),
    "Lanolin": (("lanolin", "lanolin alcohols", "wool fat"), True, False, "excipient", EXCIPIENT),
    "Dyes": (("fd&c red no. 40", "fd&c yellow no. 5", "fd&c yellow no. 6", "fd&c blue no. 1", "tartrazine", "erythrosine"), True, False, "excipient", EXCIPIENT),
    "Lactose": (("lactose",), True, False, "excipient", EXCIPIENT),
    "Gluten": (("wheat starch", "wheat gluten", "gluten"), True, False, "excipient", EXCIPIENT),
    "Peanut oil": (("peanut oil", "arachis oil"), True, False, "excipient", EXCIPIENT),
    "Soy oil": (("soybean oil", "soy lecithin", "soya oil"), True, False, "excipient", EXCIPIENT),
}  # fmt: skip

# Celecoxib is usually tolerated in aspirin-exacerbated disease (screening.md): warn only.
_WARN_MEMBERS = {("NSAIDs", "celecoxib")}

_SIDE_CHAIN = (
    "shares an R1 side chain with amoxicillin and ampicillin, so cross-reactivity is higher "
    "than the 1-2% across the classes"
)
CROSS: tuple[CrossFact, ...] = (
    CrossFact("Penicillins", "Cephalosporins", "warn", "cross-reactivity about 1-2% overall", AAAAI),
    *(
        CrossFact(penicillin, cephalosporin, "warn", f"{cephalosporin} {_SIDE_CHAIN}", AAAAI)
        for penicillin in ("amoxicillin", "ampicillin")
        for cephalosporin in ("cephalexin", "cefadroxil", "cefaclor", "cefprozil")
    ),
    CrossFact("Penicillins", "Carbapenems", "info", "cross-reactivity under 1%", AAAAI),
    CrossFact("Sulfonamides", "Non-antibiotic sulfonamides", "info", "little cross-reactivity with the antibiotics", STROM),
)  # fmt: skip

INTERACTIONS: tuple[InteractionFact, ...] = (
    InteractionFact("Opioids", "Benzodiazepines", "major", "profound sedation, respiratory depression, coma and death", "Avoid together; if needed, lowest doses, shortest time, and counsel on naloxone.", FDA_BOXED_2016),
    InteractionFact("PDE5 inhibitors", "Nitrates", "contraindicated", "severe hypotension", "Do not dispense together; contact the prescriber.", LABEL),
    # The rest of the ONC list's 15 pairs (as tabled again in Am J Health-Syst Pharm
    # 2022;79:1086, Table 4): MAOIs with amphetamines, tricyclics and triptans; febuxostat
    # with azathioprine or mercaptopurine; irinotecan with strong CYP3A4 inhibitors;
    # strong CYP3A4 inducers with protease inhibitors; tranylcypromine with procarbazine;
    # two high-risk QT-prolonging drugs.
    InteractionFact("MAO inhibitors", "Amphetamines", "contraindicated", "hypertensive crisis", "Do not dispense together, or within 14 days of stopping the MAO inhibitor.", f"{ONC}; {LABEL}"),
    InteractionFact("MAO inhibitors", "Tricyclic antidepressants", "contraindicated", "serotonin syndrome, hypertensive crisis and seizures", "Do not dispense together, or within 14 days of stopping the MAO inhibitor.", f"{ONC}; {LABEL}"),
    InteractionFact("MAO inhibitors", "Triptans", "contraindicated", "raised triptan levels and serotonin syndrome", "Do not dispense together, or within 14 days of stopping the MAO inhibitor.", f"{ONC}; {LABEL}"),
    InteractionFact("febuxostat", "Thiopurines", "contraindicated", "thiopurine toxicity: bone marrow suppression (xanthine oxidase inhibition)", "Do not dispense together; contact the prescriber.", f"{ONC}; {LABEL}"),
    InteractionFact("irinotecan", "Strong CYP3A4 inhibitors", "contraindicated", "raised SN-38 levels: severe neutropenia and diarrhea", "Stop the inhibitor at least a week before irinotecan; contact the prescriber.", f"{ONC}; {LABEL}"),
    InteractionFact("Strong CYP3A4 inducers", "Protease inhibitors", "contraindicated", "protease inhibitor levels fall, risking HIV treatment failure and resistance", "Do not dispense together; contact the prescriber.", f"{ONC}; {LABEL}"),
    InteractionFact("tranylcypromine", "procarbazine", "contraindicated", "hypertensive crisis (procarbazine inhibits MAO too)", "Do not dispense together; contact the prescriber.", f"{ONC}; {LABEL}"),
    InteractionFact("High-risk QT-prolonging drugs", "High-risk QT-prolonging drugs", "contraindicated", "additive QT prolongation and torsades de pointes", "Do not dispense two together without the prescriber's confirmation; if both are needed, ECG, potassium and magnesium monitoring.", ONC),
    InteractionFact("MAO inhibitors", "Serotonergic drugs", "contraindicated", "serotonin syndrome", "Do not dispense together; allow the washout the labeling gives (14 days; 5 weeks after fluoxetine).", f"{ONC}; {LABEL}"),
    *(
        InteractionFact(statin, inhibitor, "contraindicated", "myopathy and rhabdomyolysis from raised statin levels", "Do not dispense together; a statin not cleared by CYP3A4 (pravastatin, rosuvastatin) may be an alternative.", f"{ONC}; {LABEL}")
        for statin in ("simvastatin", "lovastatin")
        for inhibitor in ("Strong CYP3A4 inhibitors", "Protease inhibitors")
    ),
    InteractionFact("tizanidine", "ciprofloxacin", "contraindicated", "severe hypotension and sedation (CYP1A2 inhibition)", "Do not dispense together; contact the prescriber.", f"{ONC}; {LABEL}"),
    InteractionFact("tizanidine", "fluvoxamine", "contraindicated", "severe hypotension and sedation (CYP1A2 inhibition)", "Do not dispense together; contact the prescriber.", f"{ONC}; {LABEL}"),
    InteractionFact("ramelteon", "fluvoxamine", "contraindicated", "ramelteon levels raised many times over (CYP1A2 inhibition)", "Do not dispense together; contact the prescriber.", f"{ONC}; {LABEL}"),
    InteractionFact("atazanavir", "Proton pump inhibitors", "contraindicated", "atazanavir absorption falls, risking HIV treatment failure", "Avoid together; contact the prescriber.", f"{ONC}; {LABEL}"),
    InteractionFact("Ergot alkaloids", "Strong CYP3A4 inhibitors", "contraindicated", "ergotism: vasospasm and limb or cerebral ischemia", "Do not dispense together; contact the prescriber.", f"{ONC}; {LABEL}"),
    InteractionFact("Ergot alkaloids", "Protease inhibitors", "contraindicated", "ergotism: vasospasm and limb or cerebral ischemia", "Do not dispense together; contact the prescriber.", f"{ONC}; {LABEL}"),
    InteractionFact("pimozide", "Macrolides", "contraindicated", "QT prolongation and torsades de pointes", "Do not dispense together; contact the prescriber.", LABEL),
    InteractionFact("pimozide", "Azole antifungals", "contraindicated", "QT prolongation and torsades de pointes", "Do not dispense together; contact the prescriber.", LABEL),
    InteractionFact("pimozide", "Protease inhibitors", "contraindicated", "QT prolongation and torsades de pointes", "Do not dispense together; contact the prescriber.", LABEL),
    InteractionFact("methotrexate", "trimethoprim", "major", "bone marrow suppression (additive antifolate effect)", "Avoid together, or monitor blood counts closely.", SCREENING),
    InteractionFact("methotrexate", "NSAIDs", "major", "methotrexate toxicity (reduced renal clearance)", "Avoid with high-dose methotrexate; monitor blood counts and renal function.", SCREENING),
    InteractionFact("warfarin", "NSAIDs", "major", "bleeding", "Avoid together where possible; if needed, monitor INR and for bleeding.", SCREENING),
    InteractionFact("ACE inhibitors", "Potassium-sparing diuretics", "moderate", "hyperkalemia", "Monitor potassium and renal function.", SCREENING),
    InteractionFact("ACE inhibitors", "Potassium supplements", "moderate", "hyperkalemia", "Monitor potassium and renal function.", SCREENING),
    InteractionFact("Angiotensin II receptor blockers", "Potassium-sparing diuretics", "moderate", "hyperkalemia", "Monitor potassium and renal function.", SCREENING),
    InteractionFact("Angiotensin II receptor blockers", "Potassium supplements", "moderate", "hyperkalemia", "Monitor potassium and renal function.", SCREENING),
)  # fmt: skip


def classes() -> list[ClassFact]:
    return [
        ClassFact(name, kind, reaches, duplication, source)
        for name, (_members, reaches, duplication, kind, source) in _CLASSES.items()
    ]


def members() -> list[MemberFact]:
    return [
        MemberFact(name, member, "warn" if (name, member) in _WARN_MEMBERS else "block", source)
        for name, (names, _reaches, _dup, _kind, source) in _CLASSES.items()
        for member in names
    ]


@cache
def knowledge() -> Knowledge:
    """The starter set as plain values (what the rules' tests and a fresh install see)."""
    return Knowledge.of(classes(), members(), CROSS, INTERACTIONS)
