"""The drug knowledge base pharmacists maintain: drug and excipient classes and their
members, cross-sensitivity pairs, interaction pairs and duplication classes. Screening
(portal.prescriptions.screening) reads it as plain values (rules.Knowledge)."""
