//! The demo's auctions (spec 000-B, issue 15): one completed, with offers that extended its
//! round and the results formed automatically, and one in bidding when the data set is loaded.
//! The sandbox's moves open the bidding at its start and end a round at its end (decision 0712).

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use uuid::Uuid;

use super::people::Person;
use super::plans::copier_paper_plan;
use super::{Demo, ballot};
use crate::Error;

impl Demo {
    /// From a draft to the automatic results protocol: three suppliers admitted, five offers.
    pub(super) async fn completed_auction(&self) -> Result<(), Error> {
        let p = &self.people;
        let id = self.prepared(&copier_paper_plan()).await?;
        self.publish(id).await?;
        self.fire(id, "end_discussion").await?;
        self.fire(id, "start_acceptance").await?;
        self.auction_applications(id).await?;
        self.fire(id, "end_acceptance").await?;
        let start = self.admitted(id).await?;
        let at = |minutes| start + Duration::minutes(minutes);
        let [a, b, c] = &p.suppliers;
        // The last two offers come after the 30-minute mark: each extends the round 10 minutes.
        for (minute, supplier, price) in [
            (3, a, "3540000.00"),
            (9, b, "3495000.00"),
            (17, c, "3450000.00"),
            (27, a, "3420000.00"),
            (34, b, "3399000.00"),
        ] {
            self.at(at(minute)).await?;
            self.offer(supplier, id, price).await?;
        }
        // The round ends 10 minutes after the last offer; the results follow by themselves.
        self.at(at(45)).await?;
        self.record(
            "Аукцион, завершён (протокол итогов сформирован автоматически)",
            id,
        );
        Ok(())
    }

    /// Every demo supplier applies for the auction's one lot at its amount.
    pub(super) async fn auction_applications(&self, id: Uuid) -> Result<(), Error> {
        let lot = self.auction_lot(id).await?;
        for supplier in &self.people.suppliers {
            self.apply(supplier, id, &[(lot.0.as_str(), lot.1.as_str())])
                .await?;
        }
        Ok(())
    }

    /// The commission admits every supplier, the admission protocol is published (now, so that
    /// bidding starts at 10:00 on the next working day, decision 0701); the clock moves to the
    /// start and a supplier makes the first offer. The round then runs with the sandbox's clock
    /// like the real one: 30 minutes, longer with every lower offer after the 30-minute mark.
    pub(super) async fn auction_in_bidding(&self, id: Uuid) -> Result<(), Error> {
        let start = self.admitted(id).await?;
        self.at(start + Duration::minutes(1)).await?;
        self.offer(&self.people.suppliers[1], id, "2430000.00")
            .await?;
        self.at(start + Duration::minutes(2)).await?;
        self.record("Аукцион, проведение торгов (раунд открыт)", id);
        Ok(())
    }

    /// The commission votes every application admitted; the admission protocol is formed,
    /// signed and published. The auction's start.
    async fn admitted(&self, id: Uuid) -> Result<DateTime<Utc>, Error> {
        let p = &self.people;
        let (lot, _) = self.auction_lot(id).await?;
        for supplier in &p.suppliers {
            for member in [&p.chairman, &p.member_a, &p.member_b] {
                self.vote(member, id, supplier, ballot(&[lot.as_str()], None))
                    .await?;
            }
        }
        self.secretary(id, "completeVoting").await?;
        self.secretary(id, "formAdmissionProtocol").await?;
        self.sign_and_publish(id, "admission").await?;
        let data = self
            .run_as(
                &p.organizer,
                "query($a: UUID!) { announcement(id: $a) { auction { start } } }",
                json!({"a": id}),
            )
            .await?;
        let start = data["announcement"]["auction"]["start"]
            .as_str()
            .ok_or("the admission protocol fixes the auction's start")?;
        Ok(start.parse()?)
    }

    /// The auction's one lot: its plan item and amount.
    async fn auction_lot(&self, id: Uuid) -> Result<(String, String), Error> {
        let data = self
            .run_as(
                &self.people.organizer,
                "query($a: UUID!) { announcement(id: $a) { lots { planItemId amount } } }",
                json!({"a": id}),
            )
            .await?;
        let lot = &data["announcement"]["lots"][0];
        match (lot["planItemId"].as_str(), lot["amount"].as_str()) {
            (Some(item), Some(amount)) => Ok((item.to_owned(), amount.to_owned())),
            _ => Err(format!("auction {id} has no lot: {data}").into()),
        }
    }

    async fn offer(&self, supplier: &Person, id: Uuid, price: &str) -> Result<(), Error> {
        self.run_as(supplier, "mutation($c: UUID!, $a: UUID!, $p: String!) { submitPriceOffer(commandId: $c, announcementId: $a, price: $p) { version } }",
            json!({"a": id, "p": price})).await?;
        Ok(())
    }
}
