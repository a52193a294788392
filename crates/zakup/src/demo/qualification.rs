//! The demo's qualification selections (spec 000-C §1.11): published beside an open tender, on
//! its time frame (acceptance from the sixth working day, for 15 days), so the tender's moves of
//! the clock end their acceptance too. One completes and fills the Registry of qualified
//! suppliers; the other waits for the members' votes.

use serde_json::{Value, json};
use uuid::Uuid;

use super::Demo;
use super::plans::{Item, Plan};
use crate::Error;

const COMPLETED_LOT: &str = "PI-2026-1301";
const VOTING_LOT: &str = "PI-2026-1302";

fn plan(key: &'static str, serial: u32, id: &'static str, name_ru: &'static str) -> Plan {
    Plan {
        key,
        method: "qualification_selection",
        subject: "service",
        name_ru,
        name_kk: "Біліктілігі бар өнім берушілер тізіліміне енгізу үшін іріктеу",
        serial,
        items: vec![Item {
            id,
            customer: |p| &p.school,
            name_ru: "Услуги по техническому надзору",
            name_kk: "Техникалық қадағалау қызметтері",
            amount: "1500000.00",
            ktru: "711220.000.000001",
        }],
    }
}

/// The selection's ballot: the three categories, the bankruptcy one rejected or not (§2.23).
fn ballot(lot: &str, bankrupt: bool) -> Value {
    let bankruptcy = match bankrupt {
        true => json!({"verdict": "rejected", "reason": "Возбуждена процедура банкротства"}),
        false => json!({"verdict": "admitted"}),
    };
    json!({"commonArticle6": {"verdict": "admitted"}, "lots": [{"planItemId": lot,
        "documentation": {"verdict": "admitted"}, "qualification": {"verdict": "admitted"},
        "article6": {"verdict": "admitted"}, "bankruptcy": bankruptcy, "file": null}]})
}

impl Demo {
    /// Published with the open tender of the same day: (to complete, to leave in voting).
    pub(super) async fn selection_published(&self, completed: bool) -> Result<Uuid, Error> {
        let plan = match completed {
            true => plan(
                "announcement/selection-completed",
                16_790_101,
                COMPLETED_LOT,
                "Отбор в Реестр квалифицированных поставщиков: технический надзор",
            ),
            false => plan(
                "announcement/selection-voting",
                16_790_202,
                VOTING_LOT,
                "Отбор в Реестр квалифицированных поставщиков: технический надзор (2)",
            ),
        };
        let id = self.prepared(&plan).await?;
        self.publish(id).await?;
        Ok(id)
    }

    /// Two applications while the tender beside it accepts its own.
    pub(super) async fn selection_applied(&self, id: Uuid, completed: bool) -> Result<(), Error> {
        let lot = if completed { COMPLETED_LOT } else { VOTING_LOT };
        let p = &self.people;
        self.apply(&p.suppliers[1], id, &[(lot, "1450000.00")])
            .await?;
        self.apply(&p.suppliers[2], id, &[(lot, "1400000.00")])
            .await
    }

    /// In voting: the chairman has voted, the members are awaited.
    pub(super) async fn selection_voting(&self, id: Uuid) -> Result<(), Error> {
        let p = &self.people;
        for supplier in [&p.suppliers[1], &p.suppliers[2]] {
            self.vote(&p.chairman, id, supplier, ballot(VOTING_LOT, false))
                .await?;
        }
        self.record("Квалификационный отбор, голосование комиссии", id);
        Ok(())
    }

    /// Completed: one supplier admitted, the other rejected on bankruptcy by the majority; its
    /// qualification data confirmed; the protocol signed and published.
    pub(super) async fn selection_completed(&self, id: Uuid) -> Result<(), Error> {
        let p = &self.people;
        let (admitted, rejected) = (&p.suppliers[1], &p.suppliers[2]);
        for member in [&p.chairman, &p.member_a, &p.member_b] {
            self.vote(member, id, admitted, ballot(COMPLETED_LOT, false))
                .await?;
            let bankrupt = member.user != p.member_b.user;
            self.vote(member, id, rejected, ballot(COMPLETED_LOT, bankrupt))
                .await?;
        }
        self.secretary(id, "completeVoting").await?;
        let rows = json!([
            {"section": "work_experience", "description": "Технический надзор за строительством школы, 2024", "decision": "confirmed"},
            {"section": "standards", "description": "СТ РК ISO 9001-2016", "decision": "confirmed"},
        ]);
        self.run_as(&p.secretary, "mutation($c: UUID!, $a: UUID!, $app: UUID!, $r: [QualificationRowInput!]!) { fillQualificationInfo(commandId: $c, announcementId: $a, applicationId: $app, rows: $r) { version } }",
            json!({"a": id, "app": self.application(id, admitted), "r": rows})).await?;
        self.secretary(id, "formResultsProtocol").await?;
        self.sign_and_publish(id, "results").await?;
        self.record("Квалификационный отбор, завершён", id);
        Ok(())
    }
}
