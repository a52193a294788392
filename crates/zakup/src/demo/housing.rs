//! The demo's housing purchase (spec 000-B §1.6): the organizer's representative alone reviews
//! and signs, the creator forms and publishes the results.

use serde_json::json;
use uuid::Uuid;

use super::plans::housing_plan;
use super::{Demo, ballot};
use crate::Error;

const LOT: &str = "PI-2026-0951";

impl Demo {
    /// Published and accepting, with two offers: the sandbox ends its acceptance as the clock
    /// passes the end, 30 days on (spec 000-B D-17).
    pub(super) async fn housing_accepting(&self) -> Result<Uuid, Error> {
        let p = &self.people;
        let housing = self.prepared(&housing_plan()).await?;
        self.publish(housing).await?;
        self.fire(housing, "start_acceptance").await?;
        self.apply(&p.suppliers[0], housing, &[(LOT, "24800000.00")])
            .await?;
        self.apply(&p.suppliers[2], housing, &[(LOT, "23900000.00")])
            .await?;
        Ok(housing)
    }

    /// Completed: the representative admits one offer and rejects the other, signs alone; the
    /// creator forms and publishes the results.
    pub(super) async fn housing_results(&self, housing: Uuid) -> Result<(), Error> {
        let p = &self.people;
        let rep = &p.organizer_rep;
        self.vote(rep, housing, &p.suppliers[0], ballot(&[LOT], None))
            .await?;
        self.vote(rep, housing, &p.suppliers[2], ballot(&[LOT], Some(LOT)))
            .await?;
        self.run_as(&p.organizer, "mutation($c: UUID!, $a: UUID!) { formResultsProtocol(commandId: $c, announcementId: $a) { version } }",
            json!({"a": housing})).await?;
        self.sign_and_publish_as(housing, "results", &[rep], &p.organizer)
            .await?;
        self.record("Закупка жилища, завершена", housing);
        Ok(())
    }
}
