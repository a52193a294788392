//! The demo's state social order (spec 000-C §1.8): services with a commission, accepting
//! applications for 20 calendar days from a working day's 10:00.

use uuid::Uuid;

use super::Demo;
use super::plans::{Item, Plan};
use crate::Error;

fn plan() -> Plan {
    Plan {
        key: "announcement/social-order",
        method: "state_social_order",
        subject: "service",
        name_ru: "Услуги по социальной адаптации лиц с инвалидностью",
        name_kk: "Мүгедектігі бар адамдарды әлеуметтік бейімдеу қызметтері",
        serial: 16_790_303,
        items: vec![Item {
            id: "PI-2026-1201",
            customer: |p| &p.clinic,
            name_ru: "Услуги по социальной адаптации",
            name_kk: "Әлеуметтік бейімдеу қызметтері",
            amount: "7200000.00",
            ktru: "889912.000.000001",
        }],
    }
}

impl Demo {
    /// Published beside an open tender whose acceptance starts at the same instant.
    pub(super) async fn social_order_published(&self) -> Result<Uuid, Error> {
        let id = self.prepared(&plan()).await?;
        self.publish(id).await?;
        Ok(id)
    }

    /// Accepting, one application submitted.
    pub(super) async fn social_order_accepting(&self, id: Uuid) -> Result<(), Error> {
        let p = &self.people;
        self.apply(&p.suppliers[0], id, &[("PI-2026-1201", "7050000.00")])
            .await?;
        self.record("Государственный социальный заказ, приём заявок", id);
        Ok(())
    }
}
