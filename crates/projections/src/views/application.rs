//! Applications (заявки) and their price offers, sealed until opening: before it, an application
//! and the events that made it are shown only to the supplier that submitted it.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::status::{
    AdmissionDecision, AnnouncementStatus, ApplicationStatus, LotInApplication,
};

use super::visibility::{self, Shown, Viewer, Visibility};

/// Applications are sealed until they are opened at the end of acceptance (a ЗЦП completes
/// right there, with its results).
pub fn opened(a: &Announcement) -> bool {
    a.voting().round.is_some() || a.status == Some(AnnouncementStatus::Completed)
}

/// Whether an event of `event_type`, acted by organisation `actor_org`, is hidden from
/// `viewer_org`: another supplier's application event before opening. The types are the
/// visibility table's `SealedUntilOpening` rows ([`super::visibility`]).
pub fn sealed_until_opening(
    event_type: &str,
    actor_org: &str,
    opened: bool,
    viewer_org: Option<&str>,
) -> bool {
    let viewer = Viewer {
        org: viewer_org,
        oversees: false,
    };
    visibility::rule(event_type) == Visibility::SealedUntilOpening
        && visibility::shown(event_type, actor_org, opened, viewer) == Shown::Hidden
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationView {
    pub application_id: Uuid,
    pub supplier_bin: String,
    pub submitted_at: DateTime<Utc>,
    /// Spec §3.3 where it names one.
    pub status: Option<ApplicationStatus>,
    /// Opened at the end of acceptance; before, only its supplier sees it.
    pub opened: bool,
    /// By plan item.
    pub offers: Vec<OfferView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OfferView {
    pub plan_item_id: String,
    /// Tenge.
    pub price: Decimal,
    /// The commission's final decision, once voting is completed.
    pub decision: Option<AdmissionDecision>,
    pub supplemented: bool,
    /// «Победитель», «Второй победитель», «Допущен» or «Отклонен» once the lot has its outcome.
    pub result: Option<LotInApplication>,
}

impl ApplicationView {
    /// Every application of `a`, sealed or not, by submission: what the read model stores (its
    /// queries apply [`ApplicationView::visible_to`] in SQL).
    pub fn all(a: &Announcement) -> Vec<ApplicationView> {
        let opened = opened(a);
        let mut out: Vec<ApplicationView> = a
            .applications()
            .values()
            .map(|app| {
                let mut offers: Vec<OfferView> = app
                    .offers
                    .iter()
                    .map(|o| OfferView {
                        plan_item_id: o.plan_item_id.0.clone(),
                        price: o.price.amount(),
                        decision: a
                            .voting()
                            .decisions
                            .get(&(app.id, o.plan_item_id.clone()))
                            .copied(),
                        supplemented: app.supplemented_lots.contains(&o.plan_item_id),
                        result: a.lot_in_application(&app.id, &o.plan_item_id),
                    })
                    .collect();
                offers.sort_by(|x, y| x.plan_item_id.cmp(&y.plan_item_id));
                ApplicationView {
                    application_id: app.id.0,
                    supplier_bin: app.supplier_bin.to_string(),
                    submitted_at: app.submitted_at,
                    status: a.application_status(&app.id),
                    opened,
                    offers,
                }
            })
            .collect();
        out.sort_by_key(|a| (a.submitted_at, a.application_id));
        out
    }

    /// The applications of `a` that organisation `viewer_org` may see: all once opened, before
    /// only its own.
    pub fn visible(a: &Announcement, viewer_org: Option<&str>) -> Vec<ApplicationView> {
        let mut all = Self::all(a);
        all.retain(|app| app.visible_to(viewer_org));
        all
    }

    pub fn visible_to(&self, viewer_org: Option<&str>) -> bool {
        self.opened || viewer_org == Some(self.supplier_bin.as_str())
    }
}
