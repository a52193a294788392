//! Who acts, and the context every `decide` runs in.
//!
//! Portal roles belong to a user within an organization (spec 002-003: registration by
//! certificate, organization administrators grant employee powers). Functions on one
//! announcement — secretary, chairman, commission member, organizer's or customer's
//! representative — are not roles: the announcement names those people by ИИН, and its aggregate
//! matches `Actor::iin` against them.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::kernel::calendar::Calendar;
use crate::kernel::error::DomainError;
use crate::kernel::ident::{Bin, Iin};
use crate::kernel::refusal;

/// A portal role. The snake_case ids are the strings of the envelope's `Actor::role`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// «Организатор» — prepares and runs procurements (participant role, seed 002 L3265–3267;
    /// spec 000-A §1).
    Organizer,
    /// «Заказчик» — owns the plan items the lots come from (seed 002 L1995–1997; spec 000-A §1).
    Customer,
    /// «Поставщик» / «потенциальный поставщик» — submits applications and offers (participant
    /// role, seed 002 L3269–3271).
    Supplier,
    /// «Администратор организации» — grants and changes the employees' powers (seed 002
    /// L3491–3499).
    OrgAdmin,
    /// «Инспектор департамента внутреннего государственного аудита (ДВГА)»: sends camera-control
    /// notices and confirms their execution (seed 000 L10850–10862, L11026–11060).
    Inspector,
    /// «Комитет внутреннего государственного аудита» (КВГА): receives objections to notices and
    /// issues conclusions (seed 000 L11138–11140, L11364–11386).
    AuditCommittee,
    /// «Инициатор БГ» / «Утверждающий БГ»: a bank's employee who issues electronic bank
    /// guarantees and confirms or refuses their hold and return (L10588–10598, L10732–10744).
    /// A token role until the participants registry says who works for a bank (decision 0850).
    Bank,
    /// The portal itself: timers, automatic protocols, deadline extensions.
    System,
    /// The portal operator's staff: runs the installation; in a sandbox, moves its clock
    /// (docs/decisions/0662). Holds no procurement role.
    Operator,
    /// «Руководитель» / «Басшы»: the head of an organisation (seed 002 L3565–3576; seed 003
    /// L185–193 names the PPP state partner's representative among them). A token role until the
    /// participants registry records employees' roles (docs/decisions/0911).
    Head,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Organizer,
        Role::Customer,
        Role::Supplier,
        Role::OrgAdmin,
        Role::Inspector,
        Role::AuditCommittee,
        Role::Bank,
        Role::System,
        Role::Operator,
        Role::Head,
    ];

    /// The stable id, as serialized.
    pub fn id(self) -> &'static str {
        match self {
            Role::Organizer => "organizer",
            Role::Customer => "customer",
            Role::Supplier => "supplier",
            Role::OrgAdmin => "org_admin",
            Role::Inspector => "inspector",
            Role::AuditCommittee => "audit_committee",
            Role::Bank => "bank",
            Role::System => "system",
            Role::Operator => "operator",
            Role::Head => "head",
        }
    }

    /// The portal's Russian name.
    pub fn name_ru(self) -> &'static str {
        match self {
            Role::Organizer => "Организатор",
            Role::Customer => "Заказчик",
            Role::Supplier => "Поставщик",
            Role::OrgAdmin => "Администратор организации",
            Role::Inspector => "Инспектор департамента внутреннего государственного аудита",
            Role::AuditCommittee => "Комитет внутреннего государственного аудита",
            Role::Bank => "Сотрудник банка (Инициатор БГ, Утверждающий БГ)",
            Role::System => "Система",
            Role::Operator => "Оператор портала",
            Role::Head => "Руководитель",
        }
    }

    /// Parses the stable id (the envelope stores the role as a plain string).
    pub fn from_id(id: &str) -> Result<Role, DomainError> {
        Role::ALL.into_iter().find(|r| r.id() == id).ok_or_else(|| {
            DomainError::new(
                "unknown_role",
                format!("Неизвестная роль «{id}»"),
                format!("unknown role {id:?}"),
            )
        })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The authenticated user: who signs (ИИН, from the certificate), for which organization (БИН),
/// with which portal roles in it. Stored as is where a record acts on someone's behalf (the lot
/// pool's processes, decision 0503), hence its schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Actor {
    pub user_id: String,
    pub iin: Iin,
    pub org: Bin,
    pub roles: Vec<Role>,
}

impl Actor {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// `Ok` when the actor holds `role`, else the refusal `forbidden_role`.
    pub fn require_role(&self, role: Role) -> Result<(), DomainError> {
        if self.has_role(role) {
            return Ok(());
        }
        Err(DomainError::new(
            "forbidden_role",
            format!("Действие доступно только роли «{}»", role.name_ru()),
            format!("only the role {role} may do this"),
        ))
    }
}

/// What `decide` may know besides the aggregate and the command: the injected clock, the actor,
/// the working-day calendar and the actor's organisation's unread notices. The calendar is shared
/// (`Arc`): a context is built per command and cloning it must not copy the holiday tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    pub now: DateTime<Utc>,
    pub actor: Actor,
    pub calendar: Arc<Calendar>,
    /// The legal regimes (`RuleBook::embedded()` unless an operator's book): the one in force
    /// when an announcement is drafted is pinned in it (decision 0891).
    pub rules: Arc<crate::kernel::regime::RuleBook>,
    /// The announcements carrying a notice delivered to the actor's organisation (the organizer
    /// БИН is the actor's БИН) and not yet acknowledged, as the notices read model knew them when
    /// the command arrived. No aggregate can see the other streams, so this comes in from outside
    /// like the clock; it blocks the organisation on the whole portal (L11082–11088,
    /// docs/decisions/0310). Empty for everyone else.
    pub unread_notices: BTreeSet<Uuid>,
}

impl Context {
    /// Today's date on the Astana clock (spec 001-004: "All timestamps come from the single System
    /// clock (Astana time)", 001 L171–173).
    pub fn today(&self) -> Result<NaiveDate, DomainError> {
        Ok(self.calendar.to_local_date(self.now)?)
    }

    /// `Ok` unless the actor's organisation has an unread notice on an announcement other than
    /// `own`: then `unread_notice_block` («Система не позволит выполнять дальнейшие действия на
    /// Портале», L11082–11088). `own` is the announcement deciding, whose stream knows its own
    /// notices exactly (`Announcement::require_not_blocked`), while the read model may still list
    /// a notice acknowledged a moment ago. The scheduler and the auditors are never blocked: the
    /// timers keep running, and the auditors deliver and conclude (0310).
    pub fn require_portal_unblocked(&self, own: Option<Uuid>) -> Result<(), DomainError> {
        let exempt = [Role::System, Role::Inspector, Role::AuditCommittee]
            .into_iter()
            .any(|role| self.actor.has_role(role));
        if !exempt && self.unread_notices.iter().any(|id| Some(*id) != own) {
            return Err(refusal::unread_notice_block());
        }
        Ok(())
    }
}
