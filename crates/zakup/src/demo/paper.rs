//! The demo's procurement run off the portal (spec 000-C §1.9): the creator enters the results
//! by hand, forms the protocol, signs it alone and publishes it.

use serde_json::json;

use super::Demo;
use super::plans::printing_plan;
use crate::Error;

impl Demo {
    /// A completed paper «Конкурс с предварительным квалификационным отбором».
    pub(super) async fn paper(&self) -> Result<(), Error> {
        let p = &self.people;
        let paper = self.prepared(&printing_plan()).await?;
        self.publish(paper).await?;
        self.fire(paper, "end_acceptance").await?;
        let row = |number: &str, supplier: serde_json::Value, price: &str| {
            json!({"applicationNumber": number, "supplier": supplier, "account": "KZ86125KZT5004100100",
                   "unitPrice": price, "conditionalPrice": price,
                   "submittedOn": self.calendar.to_local_date(self.now()).map(|d| d.to_string()).unwrap_or_default()})
        };
        let results = json!({"outcome": "held", "suppliers": [
            row("1", json!({"kind": "resident", "id": p.suppliers[1].org, "name": p.suppliers[1].full_name}), "3150000.00"),
            row("2", json!({"kind": "non_resident", "taxNumber": "190123456", "name": "ООО «Полиграф-Минск»"}), "3090000.00"),
        ]});
        self.run_as(&p.organizer, "mutation($c: UUID!, $a: UUID!, $r: EnteredResultsInput!) { enterResultsData(commandId: $c, announcementId: $a, results: $r) { version } }",
            json!({"a": paper, "r": results})).await?;
        self.run_as(&p.organizer, "mutation($c: UUID!, $a: UUID!) { formResultsProtocol(commandId: $c, announcementId: $a) { version } }",
            json!({"a": paper})).await?;
        self.sign_and_publish_as(paper, "results", &[&p.organizer], &p.organizer)
            .await?;
        self.record("Бумажная закупка, завершена", paper);
        Ok(())
    }
}
