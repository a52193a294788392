//! Proving the seam (issue 14, item 7): a third procurement method, in a test only, made of
//! the procedure components (lots from the plan, the commission, voting and protocols) plus
//! what a method owns: its phases, one guard table, its voting rules and its outcome rule.
//! In production it would be registered by one line in `Method::rules` (with its `Method`
//! variant, the stored vocabulary); docs/architecture.md, "Add a method".

use crate::world;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use world::*;
use zakup_domain::actor::{Actor, Context};
use zakup_domain::application::{Application, ApplicationId, LotOffer};
use zakup_domain::commission::Commission;
use zakup_domain::error::DomainError;
use zakup_domain::lot::{Lot, LotOutcome};
use zakup_domain::method::procedure::MethodProcedure;
use zakup_domain::method::{AcceptanceDates, MethodRules, Step, guard};
use zakup_domain::money::Money;
use zakup_domain::plan_item::PlanItemId;
use zakup_domain::protocol::{
    CommissionSigners, ProtocolContent, ProtocolKind, ProtocolLot, Protocols, Signing,
};
use zakup_domain::status::{AdmissionDecision, AnnouncementStatus, ProtocolValidity};
use zakup_domain::voting::{Ballot, CommissionMajority, Review, Voting, VotingRules};

// ---- the method: phases, guard table, rules ---------------------------------------------------

zakup_domain::phases! {
    /// A commission selection: the commission reviews, its results protocol decides.
    Phase {
        Reviewing => ReviewingApplications,
        FormingResults => FormingResultsProtocol,
        Completed => Completed,
    }
}

const GUARDS: &[(Step, &[Phase])] = &[
    (Step::Review, &[Phase::Reviewing]),
    (Step::FormResultsProtocol, &[Phase::Reviewing]),
    (
        Step::SignProtocol(ProtocolKind::Results),
        &[Phase::FormingResults],
    ),
];

/// Admitted only when every member who voted admitted: a voting rule of its own.
struct Unanimity;

impl VotingRules for Unanimity {
    fn member_decision(&self, ballot: &Ballot, lot: &PlanItemId) -> AdmissionDecision {
        CommissionMajority.member_decision(ballot, lot)
    }
    fn vetoes_all_lots(&self, ballot: &Ballot) -> bool {
        CommissionMajority.vetoes_all_lots(ballot)
    }
    fn final_decision(&self, decisions: Vec<AdmissionDecision>) -> AdmissionDecision {
        match decisions.iter().all(|d| *d == AdmissionDecision::Admitted) {
            true => AdmissionDecision::Admitted,
            false => AdmissionDecision::Rejected,
        }
    }
    fn quorum(&self, commission: &Commission, voted: &[&zakup_domain::ident::Iin]) -> bool {
        commission.is_quorum(voted.iter().copied())
    }
}

struct CommissionSelection;

impl MethodRules for CommissionSelection {
    fn allows(&self, status: AnnouncementStatus, step: Step) -> bool {
        guard(GUARDS, Phase::of(status), step)
    }
    fn accepting(&self) -> AnnouncementStatus {
        Phase::Reviewing.status()
    }
    fn commission(&self) -> Option<&'static dyn VotingRules> {
        Some(&Unanimity)
    }
    fn discussion_days(&self) -> Option<u32> {
        None
    }
    fn validate_dates(&self, _: AcceptanceDates, _: &Context) -> Result<(), DomainError> {
        Ok(())
    }
    fn competes(&self, decision: Option<&AdmissionDecision>) -> bool {
        decision == Some(&AdmissionDecision::Admitted)
    }
    fn without_supplements(&self) -> Option<AnnouncementStatus> {
        None
    }
    fn under_camera_control(&self) -> bool {
        false
    }
    /// No parts beyond the components it is made of here; a method with parts of its own
    /// (a commission, documentation) adds its variant to `MethodProcedure`.
    fn procedure(&self) -> MethodProcedure {
        MethodProcedure::default()
    }
}

// ---- the procedure: the components' states and the routing ----------------------------------

struct Selection {
    status: AnnouncementStatus,
    lots: BTreeMap<PlanItemId, Lot>,
    applications: BTreeMap<ApplicationId, Application>,
    commission: Commission,
    voting: Voting,
    protocols: Protocols,
}

impl Selection {
    fn require(&self, step: Step) -> Result<(), DomainError> {
        match CommissionSelection.allows(self.status, step) {
            true => Ok(()),
            false => Err(zakup_domain::announcement::refusal::wrong_status()),
        }
    }

    fn review(&self) -> Review<'_> {
        Review {
            commission: Some(&self.commission),
            applications: &self.applications,
            lots: &self.lots,
        }
    }

    fn vote(
        &mut self,
        member: &Actor,
        id: ApplicationId,
        ballot: Ballot,
    ) -> Result<(), DomainError> {
        self.require(Step::Review)?;
        let cast = self
            .voting
            .cast(&self.review(), (member.iin, id), ballot, now())?;
        self.voting.vote_cast(&cast);
        Ok(())
    }

    /// Completes the vote and forms the results protocol with the method's outcome rule.
    fn form_results(&mut self) -> Result<(), DomainError> {
        self.require(Step::FormResultsProtocol)?;
        let rules = CommissionSelection.commission().expect("a commission");
        let completed = self.voting.complete(&self.review(), rules, now())?;
        self.voting.voting_completed(&completed);
        let lots = self
            .lots
            .values()
            .map(|lot| self.protocol_lot(lot))
            .collect();
        let content = ProtocolContent {
            announcement_id: uuid::Uuid::nil(),
            announcement_number: "EX-1".into(),
            kind: ProtocolKind::Results,
            version: 0,
            formed_at: now(),
            lots,
            discussion: Vec::new(),
            bidding: None,
            entered_results: None,
        };
        self.protocols.formed(&self.protocols.form(false, content));
        self.status = Phase::FormingResults.status();
        Ok(())
    }

    fn protocol_lot(&self, lot: &Lot) -> ProtocolLot {
        let id = lot.plan_item_id();
        let winner = self
            .applications
            .values()
            .filter(|a| {
                CommissionSelection.competes(self.voting.decisions.get(&(a.id, id.clone())))
            })
            .filter_map(|a| Some((*a.price_for(id)?, a.id)))
            .min();
        ProtocolLot {
            plan_item_id: id.clone(),
            lot_number: lot.source.lot_number.clone(),
            name_ru: lot.source.name_ru.clone(),
            amount: lot.source.amount,
            applications: Vec::new(),
            cancellation: None,
            refusal: None,
            outcome: Some(
                winner.map_or(LotOutcome::Failed { reason: None }, |(_, winner)| {
                    LotOutcome::Held { winner }
                }),
            ),
        }
    }

    fn sign(&mut self, signer: &Actor) -> Result<(), DomainError> {
        let protocol = self.protocols.valid(ProtocolKind::Results).expect("formed");
        let signing = Signing {
            kind: ProtocolKind::Results,
            version: protocol.version(),
            signer_iin: signer.iin,
            content_sha256: protocol.content_sha256.clone(),
            dissent: None,
            proof: proof().expect("a proof"),
        };
        let policy = self.signers();
        let open =
            CommissionSelection.allows(self.status, Step::SignProtocol(ProtocolKind::Results));
        let signed = self.protocols.sign(signing, &policy, open, now())?;
        self.protocols.signed(&signed);
        Ok(())
    }

    fn publish(&mut self) -> Result<(), DomainError> {
        let policy = self.signers();
        let open =
            CommissionSelection.allows(self.status, Step::SignProtocol(ProtocolKind::Results));
        let (_, published) = self
            .protocols
            .publish(ProtocolKind::Results, &policy, open, now())?;
        self.protocols.published(&published);
        self.status = Phase::Completed.status();
        Ok(())
    }

    fn signers(&self) -> CommissionSigners<'_> {
        CommissionSigners {
            commission: Some(&self.commission),
            excluded: &self.voting.excluded_voters,
        }
    }
}

fn now() -> DateTime<Utc> {
    astana("2026-03-02 10:00")
}

fn application(n: u32, tenge: u64) -> (ApplicationId, Application) {
    let application = Application {
        id: application_id(n),
        supplier_bin: supplier(n).org,
        offers: vec![LotOffer {
            plan_item_id: plan_item(1),
            price: Money::from_tenge(tenge),
        }],
        submitted_at: now(),
        supplemented_lots: Default::default(),
    };
    (application.id, application)
}

/// Given one lot from the plan, a commission and two applications under review,
fn reviewing() -> Selection {
    let mut voting = Voting::default();
    voting.opened();
    Selection {
        status: Phase::Reviewing.status(),
        lots: BTreeMap::from([(plan_item(1), Lot::new(lot_source(1)))]),
        applications: BTreeMap::from([application(1, 900_000), application(2, 800_000)]),
        commission: commission3(),
        voting,
        protocols: Protocols::default(),
    }
}

#[test]
fn a_third_method_reuses_the_lots_commission_voting_and_protocols() {
    let mut s = reviewing();
    let lot = [plan_item(1)];
    // when the cheaper supplier is rejected by one member (unanimity rejects it), the other
    // admitted by all,
    for member in [chairman(), member_a(), member_b()] {
        s.vote(&member, application_id(1), admit(&lot)).unwrap();
    }
    s.vote(
        &chairman(),
        application_id(2),
        reject_qualification(&lot, &lot[0]),
    )
    .unwrap();
    s.vote(&member_a(), application_id(2), admit(&lot)).unwrap();
    s.vote(&member_b(), application_id(2), admit(&lot)).unwrap();
    s.form_results().unwrap();
    // the guard table refuses a vote once the results are being formed,
    assert_eq!(
        s.vote(&member_a(), application_id(1), admit(&lot))
            .unwrap_err()
            .code,
        "wrong_status"
    );
    // the commission signs in its order, the secretary first,
    assert_eq!(
        s.sign(&chairman()).unwrap_err().code,
        "secretary_signs_first"
    );
    for signer in [secretary(), chairman(), member_a()] {
        s.sign(&signer).unwrap();
    }
    s.publish().unwrap();
    // then the one admitted by all wins, on a valid published protocol.
    let protocol = s.protocols.valid(ProtocolKind::Results).unwrap();
    assert_eq!(protocol.validity, ProtocolValidity::Valid);
    assert!(protocol.published_at.is_some());
    assert_eq!(
        protocol.content.lots[0].outcome,
        Some(LotOutcome::Held {
            winner: application_id(1)
        })
    );
    assert_eq!(s.status, AnnouncementStatus::Completed);
}
