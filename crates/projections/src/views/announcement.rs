//! The announcement's own data: its number, header, status and dates, as the searchable
//! `announcements` table and the as-of replay show them (spec 000-A §2.2).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
use zakup_domain::status::AnnouncementStatus;

/// The header of an announcement. The instants the stream gives (drafted, updated, version,
/// position) are not the announcement's and are added by the projector.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnouncementView {
    pub number: String,
    pub index: u32,
    pub source_announcement_id: Option<Uuid>,
    /// Null before the header is entered; the search lists no announcement without one.
    pub method: Option<Method>,
    pub procurement_type: Option<ProcurementType>,
    pub subject_type: Option<SubjectType>,
    pub name_ru: Option<String>,
    pub name_kk: Option<String>,
    pub organizer_bin: Option<String>,
    pub status: Option<AnnouncementStatus>,
    pub deleted: bool,
    /// The customers whose plan items are lots here, each once, in order.
    pub customer_bins: Vec<String>,
    /// The lots' names in both languages, lower case, one a line: what the search matches.
    pub lot_names: String,
    /// The sum allocated to the lots still in the procurement.
    pub total_amount: Decimal,
    pub published_at: Option<DateTime<Utc>>,
    pub discussion_end: Option<DateTime<Utc>>,
    pub acceptance_start: Option<DateTime<Utc>>,
    pub acceptance_end: Option<DateTime<Utc>>,
    /// Applications opened: until then they are sealed.
    pub opened: bool,
}

impl AnnouncementView {
    pub fn of(a: &Announcement) -> AnnouncementView {
        let header = a.header.as_ref();
        let mut customer_bins: Vec<String> = a
            .lots
            .values()
            .map(|l| l.source.customer_bin.to_string())
            .collect();
        customer_bins.sort();
        customer_bins.dedup();
        AnnouncementView {
            number: a.number.clone(),
            index: a.index,
            source_announcement_id: a.source_announcement_id,
            method: header.map(|h| h.method),
            procurement_type: header.map(|h| h.procurement_type),
            subject_type: header.map(|h| h.subject_type),
            name_ru: header.map(|h| h.name_ru.clone()),
            name_kk: header.map(|h| h.name_kk.clone()),
            organizer_bin: a.organizer_bin.map(|b| b.to_string()),
            status: a.status,
            deleted: a.deleted,
            customer_bins,
            lot_names: a
                .lots
                .values()
                .flat_map(|l| {
                    [
                        l.source.name_ru.to_lowercase(),
                        l.source.name_kk.to_lowercase(),
                    ]
                })
                .collect::<Vec<_>>()
                .join("\n"),
            total_amount: a.active_lots().map(|l| l.source.amount.amount()).sum(),
            published_at: a.published_at,
            discussion_end: a.discussion_end(),
            acceptance_start: a.acceptance.map(|w| w.start),
            acceptance_end: a.acceptance.map(|w| w.end),
            opened: super::opened(a),
        }
    }
}
