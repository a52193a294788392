//! The Registry of qualified suppliers («Реестры» → «Реестры квалифицированных поставщиков»,
//! spec 000-C §9.4, L10100–10104): the suppliers a completed qualification selection admitted,
//! with the qualification data its secretary confirmed. Public: the portal publishes it.
//! Nothing before the selection's protocol is published (§9.4 best reading, docs/decisions/0802).

use chrono::{DateTime, Utc};
use zakup_domain::announcement::Announcement;
use zakup_domain::application::ApplicationId;
use zakup_domain::method::qualification_selection::QualificationRow;
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::{AdmissionDecision, AnnouncementStatus};

#[derive(Debug, Clone, PartialEq)]
pub struct QualifiedSupplierView {
    pub application_id: ApplicationId,
    pub supplier_bin: String,
    pub announcement_number: String,
    /// The lots the supplier was admitted on.
    pub plan_item_ids: Vec<String>,
    /// The rows «Подтверждено» only.
    pub confirmed: Vec<QualificationRow>,
    /// When the qualification-selection protocol was published.
    pub included_at: DateTime<Utc>,
}

impl QualifiedSupplierView {
    /// The registry entries of `a`: none unless it is a completed qualification selection.
    pub fn all(a: &Announcement) -> Vec<QualifiedSupplierView> {
        let Some(parts) = a.procedure.qualification_selection() else {
            return Vec::new();
        };
        let included_at = a
            .valid_protocol(ProtocolKind::Results)
            .and_then(|p| p.published_at);
        let (Some(AnnouncementStatus::Completed), Some(included_at)) = (a.status, included_at)
        else {
            return Vec::new();
        };
        a.offers
            .applications
            .values()
            .filter_map(|application| {
                let plan_item_ids: Vec<String> = a
                    .voting()
                    .decisions
                    .iter()
                    .filter(|((id, _), d)| {
                        *id == application.id && **d == AdmissionDecision::Admitted
                    })
                    .map(|((_, lot), _)| lot.0.clone())
                    .collect();
                (!plan_item_ids.is_empty()).then(|| QualifiedSupplierView {
                    application_id: application.id,
                    supplier_bin: application.supplier_bin.to_string(),
                    announcement_number: a.number.clone(),
                    plan_item_ids,
                    confirmed: parts
                        .confirmed(&application.id)
                        .into_iter()
                        .cloned()
                        .collect(),
                    included_at,
                })
            })
            .collect()
    }
}
