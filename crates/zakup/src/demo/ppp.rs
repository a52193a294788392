//! The demo's PPP competition by direct negotiations (spec 002-003 part B, issue 21): drafted
//! through the wizard, published with its discussion already begun (C2), one message in the chat
//! and one negative conclusion; the discussion runs ten more days.

use chrono::Duration;
use serde_json::json;

use super::{Demo, file};
use crate::Error;

impl Demo {
    pub(super) async fn ppp_competition(&self) -> Result<(), Error> {
        let p = &self.people;
        let o = &p.organizer;
        let id = self.id("competition/school");
        let (start, end) = (self.now(), self.now() + Duration::days(15));
        self.run_as(o, "mutation($c: UUID!, $id: UUID!) { createCompetition(commandId: $c, competitionId: $id, method: direct_negotiations, nameKk: \"Астанадағы 1200 орындық мектеп\", nameRu: \"Школа на 1200 мест в Астане\") { version } }",
            json!({"id": id})).await?;
        let project = json!({"nameKk": "1200 орындық мектеп салу және пайдалану", "nameRu": "Строительство и эксплуатация школы на 1200 мест",
            "shortDescription": "Жеке серіктес мектепті салып, 20 жыл бойы пайдаланады",
            "goalsAndTasks": "Үш ауысымды оқытуды жою", "mainTechEconomicParams": "1200 орын, 3 қабат, 14 500 м²",
            "mainEfficiencyCriteria": "Бір орынның құны, пайдалану шығындары", "plannedImplementationTerms": "2026–2028 жж. құрылыс, 2028–2048 жж. пайдалану"});
        self.run_as(o, "mutation($c: UUID!, $id: UUID!, $p: CompetitionProjectInput!) { saveCompetitionProject(commandId: $c, competitionId: $id, project: $p) { version } }",
            json!({"id": id, "p": project})).await?;
        self.run_as(o, "mutation($c: UUID!, $id: UUID!, $bin: String!, $rep: String!) { setCompetitionStatePartner(commandId: $c, competitionId: $id, responsibleContact: \"Білім басқармасы, +7 7172 55 00 00\", bin: $bin, representativeIin: $rep) { version } }",
            json!({"id": id, "bin": p.akimat_head.org, "rep": p.akimat_head.iin})).await?;
        self.run_as(&p.akimat_head, "mutation($c: UUID!, $id: UUID!) { confirmCompetitionStatePartner(commandId: $c, competitionId: $id) { version } }",
            json!({"id": id})).await?;
        self.run_as(o, "mutation($c: UUID!, $id: UUID!) { saveCompetitionLot(commandId: $c, competitionId: $id) { version } }",
            json!({"id": id})).await?;
        let initiator = &p.suppliers[2];
        self.run_as(o, "mutation($c: UUID!, $id: UUID!, $i: CompetitionInitiatorInput!) { saveCompetitionInitiator(commandId: $c, competitionId: $id, initiator: $i) { version } }",
            json!({"id": id, "i": {"initiatorId": self.id("competition/school/initiator"), "userIin": initiator.iin,
                "privatePartner": initiator.org, "representative": initiator.full_name}})).await?;
        let regulation = self.id("competition/school/regulation");
        self.run_as(o, "mutation($c: UUID!, $id: UUID!, $r: UUID!) { addCompetitionRegulation(commandId: $c, competitionId: $id, regulationId: $r, nameRu: \"Регламент прямых переговоров\", nameKk: \"Тікелей келіссөздер регламенті\") { version } }",
            json!({"id": id, "r": regulation})).await?;
        self.run_as(o, "mutation($c: UUID!, $id: UUID!, $r: UUID!, $f: FileRefInput!) { attachCompetitionRegulationFile(commandId: $c, competitionId: $id, regulationId: $r, file: $f) { version } }",
            json!({"id": id, "r": regulation, "f": file("regulation")})).await?;
        self.run_as(o, "mutation($c: UUID!, $id: UUID!, $s: DateTime!, $e: DateTime!) { setCompetitionDiscussionPeriod(commandId: $c, competitionId: $id, start: $s, end: $e) { version } }",
            json!({"id": id, "s": start, "e": end})).await?;
        self.run_as(o, "mutation($c: UUID!, $id: UUID!) { publishCompetition(commandId: $c, competitionId: $id) { version } }",
            json!({"id": id})).await?;
        self.run_as(&p.suppliers[0], "mutation($c: UUID!, $id: UUID!, $m: UUID!) { postCompetitionMessage(commandId: $c, competitionId: $id, messageId: $m, text: \"Жер учаскесі бөлінді ме? Қосымша инфрақұрылым кімнің есебінен?\", warningAcknowledged: true) { version } }",
            json!({"id": id, "m": self.id("competition/school/message")})).await?;
        self.run_as(o, "mutation($c: UUID!, $id: UUID!, $k: UUID!, $f: FileRefInput!) { initiateCompetitionConclusion(commandId: $c, competitionId: $id, conclusionId: $k, kind: negative, justification: \"Жобаның құны негізделмеген: қайта есептеу қажет\", attachment: $f) { version } }",
            json!({"id": id, "k": self.id("competition/school/conclusion"), "f": file("conclusion")})).await?;
        self.record("Конкурс ГЧП (прямые переговоры), обсуждение", id);
        Ok(())
    }
}
