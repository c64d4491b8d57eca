"""The law's closed lists in words: grounds, outcomes and the codes reasons name, in English
and Spanish (the legal Spanish of Mexico and El Salvador).

Every ground of DESIGN.md §4, every outcome and every code of the document's closed lists has
its words here (tests/law/test_language.py), so a value added later cannot appear untranslated.
"""

from __future__ import annotations

from repatria.law.language import Words

GROUNDS: dict[str, Words] = {
    "AUTHORITY": Words("legal authority in force", "instrumento jurídico en vigor"),
    "NATIONALITY": Words("nationality", "nacionalidad"),
    "CITIZENSHIP": Words("citizenship of the sending state", "ciudadanía del Estado trasladante"),
    "DOMICILE": Words("domicile", "domicilio"),
    "FINALITY": Words("final judgment", "sentencia firme"),
    "REMAINING_SENTENCE": Words("sentence remaining", "pena por cumplir"),
    "DUAL_CRIMINALITY": Words("dual criminality", "doble incriminación"),
    "EXCLUDED_OFFENSE": Words("excluded offence", "delito excluido"),
    "PENDING_CHARGES": Words("pending charges", "procesos pendientes"),
    "CONSENT": Words("consent", "consentimiento"),
    "APPROVAL": Words("approval of the states", "aprobación de los Estados"),
    "DEATH_PENALTY": Words("death penalty", "pena de muerte"),
    "PROTECTION_ORDER": Words("protection order", "orden de protección"),
    "HOLD": Words("court order stopping the movement", "orden judicial que suspende el traslado"),
    "NOTICE": Words("notice", "notificación"),
    "REMOVAL_ORDER": Words("removal order", "orden de expulsión"),
    "CAPACITY": Words("capacity", "capacidad"),
    "CONTRACT": Words("custody contract", "contrato de custodia"),
}

OUTCOMES: dict[str, Words] = {
    "pass": Words("met", "se cumple"),
    "fail": Words("not met", "no se cumple"),
    "unknown": Words("unknown", "indeterminado"),
    "waived": Words("waived", "dispensado"),
}

# The document's closed lists (law/document_parts.py), as a reason names them.
OFFENSES: dict[str, Words] = {
    "drug_trafficking": Words("drug trafficking", "delito contra la salud (narcotráfico)"),
    "violent": Words("violent", "delito violento"),
    "sexual": Words("sexual", "delito sexual"),
    "property": Words("property", "delito patrimonial"),
    "fraud": Words("fraud", "delito de fraude"),
    "firearms": Words("firearms", "delito en materia de armas de fuego"),
    "immigration": Words("immigration", "delito migratorio"),
    "political": Words("political", "delito político"),
    "military": Words("military", "delito del orden militar"),
    "other": Words("other", "otro delito"),
}
CONSENT_GIVERS: dict[str, Words] = {
    "person": Words("person", "la propia persona sentenciada"),
    "parent": Words("parent", "uno de los padres"),
    "guardian": Words("guardian", "el tutor"),
    "court": Words("court", "el tribunal"),
    "legal_representative": Words("legal representative", "el representante legal"),
}
VERIFIERS: dict[str, Words] = {
    "magistrate_judge": Words("magistrate judge", "un juez federal (magistrate judge)"),
    "judge": Words("judge", "un juez"),
    "designated_officer": Words("designated officer", "un funcionario designado"),
    "consular_officer": Words("consular officer", "un funcionario consular"),
    "other": Words("other", "otro funcionario"),
}
FEAR_OUTCOMES: dict[str, Words] = {
    "pending": Words("pending", "pendiente"),
    "screened_positive": Words("screened positive", "evaluación preliminar favorable"),
    "screened_negative": Words("screened negative", "evaluación preliminar desfavorable"),
    "granted": Words("granted", "concedida"),
    "denied": Words("denied", "denegada"),
}
# Kinds of orders are free text in the document; these are the usual ones.
ORDER_KINDS: dict[str, Words] = {
    "withholding": Words("withholding", "retención de expulsión"),
    "cat": Words("CAT", "protección conforme a la Convención contra la Tortura"),
    "cat_withholding": Words(
        "CAT withholding", "retención de expulsión conforme a la Convención contra la Tortura"
    ),
    "cat_deferral": Words(
        "CAT deferral", "aplazamiento de la expulsión conforme a la Convención contra la Tortura"
    ),
    "tro": Words("TRO", "orden de restricción temporal"),
    "injunction": Words("injunction", "medida cautelar"),
    "stay": Words("stay", "suspensión"),
    "habeas": Words("habeas", "hábeas corpus pendiente"),
    "pending_habeas": Words("pending habeas", "hábeas corpus pendiente"),
}
# The day time left is measured on, as the reasons name it.
REFERENCE_DAYS: dict[str, Words] = {
    "request_received_on": Words("request_received_on", "fecha de recepción de la solicitud"),
    "as_of": Words("as_of", "fecha de la evaluación, por no constar la de la solicitud"),
}
