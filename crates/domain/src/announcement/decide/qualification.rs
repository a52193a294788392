//! The qualification selection's own step: «Сведения о квалификации» of the admitted suppliers
//! (spec 000-C Q8, L10042–10110).

use super::Decision;
use crate::actor::Context;
use crate::announcement::event::QualificationInfoFilled;
use crate::announcement::{Announcement, AnnouncementEvent, refusal};
use crate::application::ApplicationId;
use crate::error::DomainError;
use crate::method::Step;
use crate::method::qualification_selection::info::QualificationRowInput;
use crate::status::AdmissionDecision;

impl Announcement {
    /// Q8: the secretary confirms or not every row of an admitted supplier's data; saving
    /// again replaces them.
    pub(super) fn fill_qualification_info(
        &self,
        application_id: ApplicationId,
        rows: Vec<QualificationRowInput>,
        ctx: &Context,
    ) -> Decision {
        self.require_step(Step::QualificationInfo)?;
        self.require_secretary(ctx)?;
        let application = self
            .offers
            .applications
            .get(&application_id)
            .ok_or_else(refusal::application_not_found)?;
        if !self.admitted_applications().any(|id| id == application_id) {
            return Err(refusal::qualification_info_admitted_only());
        }
        if rows.is_empty() {
            return Err(refusal::qualification_rows_missing());
        }
        let rows = rows
            .into_iter()
            .map(QualificationRowInput::decided)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(vec![AnnouncementEvent::QualificationInfoFilled(
            QualificationInfoFilled {
                application_id,
                supplier_bin: application.supplier_bin,
                rows,
                filled_by: ctx.actor.iin,
                filled_at: ctx.now,
            },
        )])
    }

    /// The applications the completed voting admitted on at least one lot (L10023–10027).
    pub fn admitted_applications(&self) -> impl Iterator<Item = ApplicationId> + '_ {
        self.offers.applications.keys().copied().filter(|id| {
            self.voting()
                .decisions
                .iter()
                .any(|((a, _), d)| a == id && *d == AdmissionDecision::Admitted)
        })
    }

    /// Q10 after Q8: a qualification selection forms its protocol once every admitted
    /// supplier's data are filled (§4.9 AMBIGUOUS, recommended reading). Other methods have no
    /// such data.
    pub(super) fn require_qualification_info_filled(&self) -> Result<(), DomainError> {
        let Some(parts) = self.procedure.qualification_selection() else {
            return Ok(());
        };
        match self
            .admitted_applications()
            .all(|id| parts.qualification.contains_key(&id))
        {
            true => Ok(()),
            false => Err(refusal::qualification_info_not_filled()),
        }
    }
}
