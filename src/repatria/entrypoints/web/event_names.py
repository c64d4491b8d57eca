"""What each event of the record says happened, in words (issue 20): one vocabulary for the
case timeline, the record's event browser and the inclusion proof, in English and Spanish.

The record keeps an event's code (`CaseApprovedBySendingState`); pages say it in words, and
the record's own pages, where an auditor filters and cites events, show the code beside
them. Every event the services record has its words here (tests/entrypoints/web/
test_event_names.py), so a new event cannot appear as a bare code.
"""

from __future__ import annotations

import re

from repatria.i18n import N_, gettext

EVENTS = {
    # a case's steps (services/transitions._event_name)
    "OpenCase": N_("case opened"),
    "CaseSubmitted": N_("submitted for screening"),
    "CaseScreened": N_("screened: eligible on the facts"),
    "CaseMarkedIneligible": N_("marked ineligible"),
    "CaseReopened": N_("reopened"),
    "CasePrepareSending": N_("sending state's decision prepared"),
    "CasePrepareReceiving": N_("receiving state's decision prepared"),
    "CaseApprovedBySendingState": N_("approved by the sending state"),
    "CaseApprovedByReceivingState": N_("approved by the receiving state"),
    "CaseDenied": N_("denied"),
    "CaseConsentVerified": N_("consent verified"),
    "CaseWithdrawn": N_("withdrawn by the person"),
    "CaseScheduled": N_("placed on a movement"),
    "CaseDeparted": N_("left on its movement"),
    "CaseArrivalConfirmed": N_("arrival confirmed"),
    "CaseCancelled": N_("cancelled"),
    "CaseDestinationDesignated": N_("destination designated"),
    "CaseNoticeServed": N_("notice served"),
    "CaseWaitingPeriodStarted": N_("waiting period started"),
    "CaseCleared": N_("cleared for removal"),
    "CaseBlocked": N_("removal blocked"),
    "CaseResumed": N_("removal resumed"),
    "CaseFactsAsserted": N_("facts recorded"),
    "CaseReceivedFromPeer": N_("case received from the other state"),
    "ConsentHearingRecorded": N_("consent hearing recorded"),
    "NoticeRecorded": N_("notice recorded"),
    "FearClaimRecorded": N_("fear claim recorded"),
    "FearClaimDecided": N_("fear claim decided"),
    # people and court orders
    "RecordPerson": N_("person recorded"),
    "UpdatePerson": N_("person's record corrected"),
    "HoldRecorded": N_("court hold recorded"),
    "HoldLifted": N_("court hold lifted"),
    "ProtectionOrderRecorded": N_("protection order recorded"),
    "ProtectionOrderTerminated": N_("protection order terminated"),
    "CustodyTransferred": N_("custody passed to the receiving state"),
    # movements (services/movements: Movement + the step)
    "MovementPlanned": N_("movement planned"),
    "MovementLock": N_("manifest locked"),
    "MovementDepart": N_("movement departed"),
    "MovementConfirmArrival": N_("movement's arrival confirmed"),
    "MovementClose": N_("movement closed"),
    # places and money
    "FacilityRecorded": N_("facility recorded"),
    "CellsAllocated": N_("people placed in cells"),
    "StayEnded": N_("stay in the facility ended"),
    "CustodyContractRecorded": N_("custody contract recorded"),
    "InvoicePaid": N_("invoice marked paid"),
    # the law
    "ProposeLawAmendment": N_("amendment to the law proposed"),
    "ApproveLawAmendment": N_("amendment to the law approved"),
    "RejectLawAmendment": N_("amendment to the law rejected"),
    "LawAmendmentTookEffect": N_("amendment to the law took effect"),
    # accounts and signing in
    "CreateOrganisation": N_("organisation created"),
    "CreateUser": N_("user created"),
    "ProvisionUser": N_("user created at first sign-in through the provider"),
    "ChangeRole": N_("role changed"),
    "ChangeLanguage": N_("language changed"),
    "ChangePassword": N_("password changed"),
    "ResetPassword": N_("one-time password issued"),
    "DeactivateUser": N_("user deactivated"),
    "ReactivateUser": N_("user reactivated"),
    "IssueApiToken": N_("API token issued"),
    "RevokeToken": N_("token revoked"),
    "SignOutEverywhere": N_("signed out everywhere"),
    "FailSignIn": N_("failed sign-in"),
    "LockOutSignIn": N_("sign-in locked for a time"),
    "SignInWithProvider": N_("signed in through the identity provider"),
    "RefuseSignInWithProvider": N_("sign-in through the identity provider refused"),
    "SignInWithSecurityKey": N_("signed in with a security key"),
    "FailSecurityKey": N_("security key refused at sign-in"),
    "RefuseSecurityKey": N_("security key refused"),
    "RegisterSecurityKey": N_("security key registered"),
    "RemoveSecurityKey": N_("security key removed"),
    "RemoveSecurityKeys": N_("every security key removed"),
    "GenerateRecoveryCodes": N_("recovery codes made"),
    "UseRecoveryCode": N_("recovery code used"),
    "FailRecoveryCode": N_("wrong recovery code"),
    "SignInWithRecoveryCode": N_("signed in with a recovery code"),
    # the record and the other states
    "RequestCheckpoint": N_("signed checkpoint requested"),
    "PeerAdded": N_("peer state added"),
    "PeerUpdated": N_("peer state updated"),
    "PeerRemoved": N_("peer state removed"),
    "PeerHalted": N_("exchange with the peer state stopped"),
    "PeerResumed": N_("exchange with the peer state resumed"),
    "ExchangeMessageSent": N_("message sent to the other state"),
    "ExchangeMessageReceived": N_("message received from the other state"),
    "ExchangeMessageProcessed": N_("message from the other state processed"),
    "ExchangeMessageRefused": N_("message from the other state refused"),
}


def event_name(code: str) -> str:
    """What an event says happened, in the reader's language; an event without words here
    (one recorded by a later version) is its code split into words."""
    if code in EVENTS:
        return gettext(EVENTS[code])
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", code).lower()
