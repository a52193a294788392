//! The guarantee's facts (spec 000-D §9.5 «BankGuarantee»). A hold and a return go through the
//! same four steps, so one payload per step carries the request's kind (decision 0851).

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{GuaranteeKind, RequestCause, RequestKind};
use crate::ident::{Bin, Iin};
use crate::kernel::event::event_set;
use crate::kernel::file::FileRef;
use crate::money::Money;
use crate::plan_item::PlanItemId;

/// A lot the guarantee secures: the announcement's lot (keyed by its plan item) and the number
/// the search shows («Лот», L10566).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GuaranteedLot {
    pub plan_item_id: PlanItemId,
    pub lot_number: String,
}

/// «Создать банковскую гарантию» by the bank (L10596–10598), with the fields of the search's
/// result columns (L10620–10646): the original terms, kept as issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GuaranteeIssued {
    pub guarantee_id: Uuid,
    /// «Номер ЭБГ».
    pub number: String,
    pub kind: GuaranteeKind,
    pub bank_bin: Bin,
    pub bank_name: String,
    pub supplier_bin: Bin,
    pub customer_bin: Bin,
    pub organizer_bin: Bin,
    /// In tenge (L10634).
    pub amount: Money,
    /// «Дата выпуска».
    pub issued_on: NaiveDate,
    /// «Срок действия».
    pub valid_until: NaiveDate,
    pub announcement_id: Uuid,
    pub announcement_number: String,
    pub lots: Vec<GuaranteedLot>,
    /// «Договор», for a contract security.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_number: Option<String>,
    pub issued_by: Iin,
    pub issued_at: DateTime<Utc>,
}

/// «Сформировать форму удержания» / «Сформировать форму аннулирования» (G2, G8; L10702–10706,
/// L10788–10792): the request to the bank with its grounds and documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GuaranteeRequestFormGenerated {
    pub request: RequestKind,
    pub plan_item_ids: Vec<PlanItemId>,
    pub grounds: String,
    pub documents: Vec<FileRef>,
    pub cause: RequestCause,
    pub generated_by: Iin,
    pub generated_at: DateTime<Utc>,
}

/// «Удалить форму» (G3, G9; L10720–10722, L10806–10808).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GuaranteeRequestFormDeleted {
    pub request: RequestKind,
    pub deleted_by: Iin,
    pub deleted_at: DateTime<Utc>,
}

/// The form signed and sent to the bank (G4, G10; L10714–10716, L10800–10802).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GuaranteeRequestSigned {
    pub request: RequestKind,
    pub signed_by: Iin,
    pub signed_at: DateTime<Utc>,
}

/// The bank transferred the money or annulled the guarantee on the request's lots (G6, G12;
/// L10742–10752, L10828–10838).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GuaranteeRequestConfirmed {
    pub request: RequestKind,
    pub plan_item_ids: Vec<PlanItemId>,
    pub confirmed_by: Iin,
    pub confirmed_at: DateTime<Utc>,
}

/// The bank refused, with its reason (G5, G11; L10736–10740, L10822–10826).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GuaranteeRequestRefused {
    pub request: RequestKind,
    pub reason: String,
    pub refused_by: Iin,
    pub refused_at: DateTime<Utc>,
}

event_set! {
    pub enum GuaranteeEvent {
        Issued(GuaranteeIssued) = 1,
        FormGenerated(GuaranteeRequestFormGenerated) = 1,
        FormDeleted(GuaranteeRequestFormDeleted) = 1,
        Signed(GuaranteeRequestSigned) = 1,
        Confirmed(GuaranteeRequestConfirmed) = 1,
        Refused(GuaranteeRequestRefused) = 1,
    }
}
