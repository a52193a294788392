//! The domain's aggregates, bound to their streams.

use serde_json::Value;
use zakup_domain::actor::Context;
use zakup_domain::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent};
use zakup_domain::certificate::{Certificate, CertificateCommand, CertificateEvent};
use zakup_domain::error::DomainError;
use zakup_domain::plan_item::{PlanItem, PlanItemCommand, PlanItemEvent};

use crate::aggregate::Aggregate;

impl Aggregate for Announcement {
    const CATEGORY: &'static str = "announcement";
    type Command = AnnouncementCommand;
    type Event = AnnouncementEvent;

    fn apply(&mut self, event: &AnnouncementEvent) {
        Announcement::apply(self, event);
    }

    fn decide(
        &self,
        command: AnnouncementCommand,
        ctx: &Context,
    ) -> Result<Vec<AnnouncementEvent>, DomainError> {
        Announcement::decide(self, command, ctx)
    }

    fn encode(event: &AnnouncementEvent) -> (&'static str, u32, Value) {
        event.to_stored()
    }

    fn decode(
        event_type: &str,
        schema_version: u32,
        payload: &Value,
    ) -> Result<AnnouncementEvent, String> {
        AnnouncementEvent::from_stored(event_type, schema_version, payload)
            .map_err(|e| e.to_string())
    }
}

impl Aggregate for PlanItem {
    const CATEGORY: &'static str = "plan_item";
    type Command = PlanItemCommand;
    type Event = PlanItemEvent;

    fn apply(&mut self, event: &PlanItemEvent) {
        PlanItem::apply(self, event);
    }

    fn decide(
        &self,
        command: PlanItemCommand,
        ctx: &Context,
    ) -> Result<Vec<PlanItemEvent>, DomainError> {
        PlanItem::decide(self, command, ctx)
    }

    fn encode(event: &PlanItemEvent) -> (&'static str, u32, Value) {
        event.to_stored()
    }

    fn decode(
        event_type: &str,
        schema_version: u32,
        payload: &Value,
    ) -> Result<PlanItemEvent, String> {
        PlanItemEvent::from_stored(event_type, schema_version, payload).map_err(|e| e.to_string())
    }
}

impl Aggregate for Certificate {
    const CATEGORY: &'static str = "certificate";
    type Command = CertificateCommand;
    type Event = CertificateEvent;

    fn apply(&mut self, event: &CertificateEvent) {
        Certificate::apply(self, event);
    }

    fn decide(
        &self,
        command: CertificateCommand,
        ctx: &Context,
    ) -> Result<Vec<CertificateEvent>, DomainError> {
        Certificate::decide(self, command, ctx)
    }

    fn encode(event: &CertificateEvent) -> (&'static str, u32, Value) {
        event.to_stored()
    }

    fn decode(
        event_type: &str,
        schema_version: u32,
        payload: &Value,
    ) -> Result<CertificateEvent, String> {
        CertificateEvent::from_stored(event_type, schema_version, payload)
            .map_err(|e| e.to_string())
    }
}
