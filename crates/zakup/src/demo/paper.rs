//! The demo's procurements run off the portal (spec 000-C §1.9–1.10): the creator states where
//! the paper goes, enters the results by hand, forms the protocol, signs it alone and publishes
//! it.

use serde_json::{Value, json};
use uuid::Uuid;

use super::Demo;
use super::plans::{canteen_plan, printing_plan};
use crate::Error;

impl Demo {
    /// A completed paper «Конкурс с предварительным квалификационным отбором» and a «Запрос
    /// ценовых предложений (не ГЗ)» that did not take place, published together: one move of
    /// the clock ends both acceptances.
    pub(super) async fn off_portal(&self) -> Result<(), Error> {
        let p = &self.people;
        let paper = self.prepared(&printing_plan()).await?;
        let canteen = self.prepared(&canteen_plan()).await?;
        for id in [paper, canteen] {
            self.publish_off_portal(id).await?;
        }
        for id in [paper, canteen] {
            self.fire(id, "end_acceptance").await?;
        }
        let submitted_on = self.calendar.to_local_date(self.now())?.to_string();
        let row = |number: &str, supplier: Value, price: &str| {
            json!({"applicationNumber": number, "supplier": supplier, "account": "KZ86125KZT5004100100",
                   "unitPrice": price, "conditionalPrice": price, "submittedOn": submitted_on})
        };
        let resident = |n: usize| json!({"kind": "resident", "id": p.suppliers[n].org, "name": p.suppliers[n].full_name});
        let held = json!({"outcome": "held", "suppliers": [
            row("1", resident(1), "3150000.00"),
            row("2", json!({"kind": "non_resident", "taxNumber": "190123456", "name": "ООО «Полиграф-Минск»"}), "3090000.00"),
        ]});
        self.results_by_hand(paper, held).await?;
        self.record("Бумажная закупка, завершена", paper);
        let failed = json!({"outcome": "failed", "reason": "fewer_than_two_applications",
            "suppliers": [row("1", resident(0), "3980000.00")]});
        self.results_by_hand(canteen, failed).await?;
        self.record("Закупка для не субъектов ГЗ, не состоялась", canteen);
        Ok(())
    }

    /// «Публикация объявления» with the places of the paper (spec 000-C §2.20).
    async fn publish_off_portal(&self, id: Uuid) -> Result<(), Error> {
        let places = json!({"documentation": "г. Астана, ул. Бейбитшилик 10, каб. 214, в рабочие дни с 9:00 до 18:00",
            "applicationsRu": "г. Астана, ул. Бейбитшилик 10, каб. 214",
            "applicationsKk": "Астана қ., Бейбітшілік к-сі 10, 214 каб."});
        self.run_as(&self.people.organizer, "mutation($c: UUID!, $a: UUID!, $p: PublicationPlacesInput!) { setPublicationPlaces(commandId: $c, announcementId: $a, places: $p) { version } }",
            json!({"a": id, "p": places})).await?;
        self.publish(id).await
    }

    /// The creator enters `results`, forms the protocol, signs it alone and publishes it.
    async fn results_by_hand(&self, id: Uuid, results: Value) -> Result<(), Error> {
        let creator = &self.people.organizer;
        self.run_as(creator, "mutation($c: UUID!, $a: UUID!, $r: EnteredResultsInput!) { enterResultsData(commandId: $c, announcementId: $a, results: $r) { version } }",
            json!({"a": id, "r": results})).await?;
        self.run_as(creator, "mutation($c: UUID!, $a: UUID!) { formResultsProtocol(commandId: $c, announcementId: $a) { version } }",
            json!({"a": id})).await?;
        self.sign_and_publish_as(id, "results", &[creator], creator)
            .await
    }
}
