//! The demo's electronic bank guarantees (spec 000-D §4.2): application securities of the
//! completed open tender's suppliers and of the price quotations' winner, in several statuses:
//! returned by the bank, held pending at the bank after the winner's evasion, active.

use serde_json::{Value, json};
use uuid::Uuid;

use super::people::Person;
use super::{Demo, file};
use crate::Error;

const FORM: &str = "mutation($c: UUID!, $g: UUID!, $r: String!, $l: [String!]!, $d: [FileRefInput!]!) { generateGuaranteeForm(commandId: $c, guaranteeId: $g, request: $r, planItemIds: $l, grounds: \"Итоги закупки подведены\", documents: $d) { version } }";

impl Demo {
    /// `tender` is the completed open tender (lot PI-2026-0101), `paper` the completed price
    /// quotations (lot PI-2026-0201, won by the third supplier).
    pub(super) async fn guarantees(&self, tender: Uuid, paper: Uuid) -> Result<(), Error> {
        let p = &self.people;
        let lot = "PI-2026-0101";
        let returned = self
            .issue(
                "ЭБГ-2026-0001",
                &p.suppliers[0],
                tender,
                "Открытый конкурс",
                lot,
            )
            .await?;
        self.ask(returned, "return", lot).await?;
        self.run_as(&p.bank, "mutation($c: UUID!, $g: UUID!) { confirmGuaranteeRequest(commandId: $c, guaranteeId: $g, request: \"return\") { version } }",
            json!({"g": returned})).await?;
        self.record("Банковская гарантия, возвращена", returned);

        let held = self
            .issue(
                "ЭБГ-2026-0002",
                &p.suppliers[1],
                tender,
                "Открытый конкурс",
                lot,
            )
            .await?;
        self.run_as(&p.school, "mutation($c: UUID!, $a: UUID!) { recordContractEvasion(commandId: $c, announcementId: $a, planItemId: \"PI-2026-0101\", grounds: \"Договор не подписан в срок\") { version } }",
            json!({"a": tender})).await?;
        self.ask(held, "hold", lot).await?;
        self.record(
            "Банковская гарантия, удержание на подтверждении в банке",
            held,
        );

        let active = self
            .issue(
                "ЭБГ-2026-0003",
                &p.suppliers[2],
                paper,
                "Запрос ценовых предложений",
                "PI-2026-0201",
            )
            .await?;
        self.record("Банковская гарантия, действует", active);
        Ok(())
    }

    async fn issue(
        &self,
        number: &str,
        supplier: &Person,
        announcement: Uuid,
        announcement_number: &str,
        lot: &str,
    ) -> Result<Uuid, Error> {
        let p = &self.people;
        let id = self.id(&format!("guarantee/{number}"));
        let input: Value = json!({
            "guaranteeId": id, "number": number, "kind": "application_security",
            "bankName": "АО «Народный Банк Казахстана»", "supplierBin": supplier.org,
            "customerBin": p.school.org, "organizerBin": p.organizer.org, "amount": "420000.00",
            "issuedOn": self.now().date_naive(), "validUntil": (self.now() + chrono::Duration::days(180)).date_naive(),
            "announcementId": announcement, "announcementNumber": announcement_number,
            "lots": [{"planItemId": lot, "lotNumber": lot}],
        });
        self.run_as(&p.bank, "mutation($c: UUID!, $i: IssueGuaranteeInput!) { issueGuarantee(commandId: $c, input: $i) { version } }",
            json!({"i": input})).await?;
        Ok(id)
    }

    /// The organizer (the beneficiary of an application security) generates and signs a form.
    /// Beside a serving node, the guarantees' workflow (decision 0853) may have sent the same
    /// request first, from the procurement's outcome: then the request is already at the bank.
    async fn ask(&self, guarantee: Uuid, request: &str, lot: &str) -> Result<(), Error> {
        let organizer = &self.people.organizer;
        let asked = async {
            self.run_as(
                organizer,
                FORM,
                json!({"g": guarantee, "r": request, "l": [lot], "d": [file("grounds")]}),
            )
            .await?;
            self.run_as(organizer, "mutation($c: UUID!, $g: UUID!) { signGuaranteeRequest(commandId: $c, guaranteeId: $g) { version } }",
                json!({"g": guarantee})).await
        };
        let Err(refused) = asked.await else {
            return Ok(());
        };
        if self.pending(guarantee).await? == format!("{request}_pending_bank") {
            return Ok(());
        }
        Err(refused)
    }

    /// The guarantee's status id, as the organizer reads it.
    async fn pending(&self, guarantee: Uuid) -> Result<String, Error> {
        let read = self
            .run_as(
                &self.people.organizer,
                "query($g: UUID!) { bankGuarantee(id: $g) { status { id } } }",
                json!({"g": guarantee}),
            )
            .await?;
        Ok(read["bankGuarantee"]["status"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }
}
