//! The acceptance scenarios of spec 000-A §10 (S1–S25), one test or more each.

use crate::world;

use chrono::Duration;
use rust_decimal::Decimal;
use uuid::Uuid;
use world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::TimedTransition;
use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
use zakup_domain::application::DiscountForm;
use zakup_domain::commission::ChangeDecision;
use zakup_domain::commission::Commission;
use zakup_domain::discussion::{DiscussionDecision, DiscussionRequestId};
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::kernel::file::FileRef;
use zakup_domain::lot::{LotOutcome, LotTerms, WorkDumping, WorkKind};
use zakup_domain::money::Money;
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::{
    AdmissionDecision as D, AnnouncementStatus as S, ApplicationStatus, LotStatus,
    ProtocolValidity, VotingControlStatus,
};

fn zeros() -> DiscountForm {
    let z = Some(Decimal::ZERO);
    DiscountForm {
        experience_years: Some(0),
        experience_months: Some(0),
        experience_pct: z,
        qms_pct: z,
        ems_pct: z,
        sechp_pct: z,
        voluntary_conformity_pct: z,
        functional_pct: z,
        technical_pct: z,
        quality_pct: z,
        operational_pct: z,
    }
}

fn request(n: u128) -> DiscussionRequestId {
    DiscussionRequestId(Uuid::from_u128(n))
}

fn ask(w: &mut World, n: u128) -> Result<(), &'static str> {
    w.try_run(
        &supplier(1),
        C::SubmitDiscussionRequest {
            request_id: request(n),
            subject: "Тема".into(),
            text: "Замечание".into(),
        },
    )
    .map(|_| ())
    .map_err(|e| e.code)
}

/// Reviewing, everybody admitted on every lot by the chairman and member A, voting completed.
fn voted_all_admitted(lots: u32, applications: &[(u32, &[u32])]) -> World {
    let mut w = World::new();
    w.reviewing_ok(lots, applications);
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    w
}

/// A completed OK: one lot, one admitted supplier, results published.
fn completed_ok() -> World {
    let mut w = voted_all_admitted(1, &[(1, &[1])]);
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    w
}

mod acts;
mod publication_and_discussion;
mod review_and_results;
