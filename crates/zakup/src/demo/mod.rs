//! `zakup demo`: a realistic data set loaded through the GraphQL mutations (in process, through
//! the same schema `zakup serve` answers with), so GraphiQL shows something useful at once:
//! open tenders and requests for price quotations in every status a frontend needs to render,
//! with Russian and Kazakh names and БИН/ИИН that pass the check.
//!
//! Time: the demo is a sandbox's data set (docs/decisions/0661, 0663). Its engine runs on the
//! sandbox clock of the database, started 120 days ago on a new one, and moves it through each
//! procedure (discussion, acceptance, supplements), firing the timed transitions as a sandbox
//! server does, so completed procedures are in the past and the running ones have their
//! deadlines ahead. A sandbox server running on the same database (`zakup serve --sandbox`)
//! follows the moves; a database with real records is refused before anything is written. Ids
//! derive from fixed names; the last move is recorded under a fixed command id, so a second run
//! knows a complete data set from one a failure left half loaded, and says which.

use std::process::ExitCode;
use std::sync::Arc;

use async_graphql::{Request, Variables};
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;
use zakup_api::{Viewer, ZakupSchema};
use zakup_domain::actor::{Actor, Role};
use zakup_domain::calendar::Calendar;
use zakup_engine::sandbox::{self, Target};
use zakup_engine::{CommandMeta, Engine, Sandbox, SystemClock};

use sqlx::PgPool;
use zakup_store::SharedStore;

use crate::Error;

mod auctions;
mod guarantees;
mod housing;
mod paper;
mod people;
mod plans;
mod ppp;
mod qualification;
mod social_order;

use people::{People, Person};
use plans::*;

/// The development portal operator, in whose name timed transitions are recorded.
pub const OPERATOR_BIN: &str = "080140001005";
pub const OPERATOR_IIN: &str = "800101301004";

/// Whether a БИН or an ИИН is one of the demo's, which production refuses (decision 0626): they
/// are published in this source, so anybody could act in their name.
pub fn is_demo_identity(bin: &str, iin: &str) -> bool {
    People::new().is_ok_and(|people| {
        people
            .everyone()
            .iter()
            .any(|p| p.org == bin || p.iin == iin)
    })
}

/// Every id of the demo derives from this namespace.
const NAMESPACE: Uuid = Uuid::from_u128(0x7a6b_7570_2d64_656d_6f2d_0000_0000_0001);

struct Demo {
    schema: ZakupSchema,
    engine: Engine,
    calendar: Arc<Calendar>,
    people: People,
    step: std::cell::Cell<u32>,
    loaded: std::cell::RefCell<Vec<(String, Uuid)>>,
}

/// How long before the sandbox's start on a new database the demo's story begins.
const STORY: i64 = 120;

pub async fn load(
    store: SharedStore,
    pool: PgPool,
    keys: zakup_api::TokenKeys,
    system: Actor,
) -> Result<ExitCode, Error> {
    let calendar = Arc::new(Calendar::embedded()?);
    let start = Utc::now() - Duration::days(STORY);
    let clock = Sandbox::new(Arc::new(SystemClock), start, 0, system);
    let engine = Engine::new(store.clone(), Arc::new(clock), calendar.clone());
    sandbox::open(&engine).await.map_err(|e| {
        format!(
            "{e}\nzakup demo loads a sandbox's data set: run it on a new data directory \
             (ZAKUP_DATA_DIR) or beside `zakup serve --sandbox`"
        )
    })?;
    let daemon =
        zakup_projections::Daemon::start(store.clone(), pool.clone(), zakup_projections::all())
            .await?;
    let schema = zakup_api::schema(zakup_api::AppState {
        store: store.clone(),
        pool: pool.clone(),
        daemon: Arc::new(daemon),
        engine: engine.clone(),
        keys: Arc::new(keys),
        // The demo's organisations are not registered: a sandbox's data set, run on a data
        // directory of its own (docs/decisions/0820).
        registry: zakup_api::RegistryMode::Development,
    });
    let demo = Demo {
        schema,
        engine,
        calendar,
        people: People::new()?,
        step: std::cell::Cell::new(0),
        loaded: std::cell::RefCell::new(Vec::new()),
    };
    demo.run().await?;
    caught_up(&store, &pool).await?;
    println!("zakup demo: loaded through the GraphQL mutations:");
    for (what, id) in demo.loaded.borrow().iter() {
        println!("  {id}  {what}");
    }
    println!(
        "\nTry it: `zakup serve --sandbox`, open http://127.0.0.1:8080/graphql, and sign in with e.g."
    );
    let p = &demo.people;
    for who in [
        &p.organizer,
        &p.secretary,
        &p.chairman,
        &p.suppliers[0],
        &p.school,
    ] {
        println!(
            "  zakup token --user {} --iin {} --org {} {}   # {}",
            who.user,
            who.iin,
            who.org,
            who.roles
                .iter()
                .map(|r| format!("--role {r}"))
                .collect::<Vec<_>>()
                .join(" "),
            who.full_name
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Waits until the read models hold every event, so GraphiQL shows the whole data set as soon
/// as the demo says it is loaded.
async fn caught_up(store: &SharedStore, pool: &PgPool) -> Result<(), Error> {
    let all = zakup_projections::all();
    for _ in 0..600 {
        let statuses = zakup_projections::status(pool, store.as_ref(), &all).await?;
        if statuses.len() == all.len() && statuses.iter().all(|s| s.lag_events == 0) {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err("the read models did not catch up with the demo within a minute".into())
}

impl Demo {
    async fn run(&self) -> Result<(), Error> {
        // The story ends at the real time on a new database, or 120 days on from a sandbox clock
        // started before (a sandbox server's, say): it only moves forward.
        let now = (self.now() + Duration::days(STORY)).max(Utc::now());
        let p = &self.people;
        let clock = Engine::stream::<zakup_domain::sandbox_clock::SandboxClock>(
            zakup_domain::sandbox_clock::STREAM_ID,
        )?;
        let complete = self
            .engine
            .store()
            .command_outcome(&clock, self.completed())
            .await?;
        if complete.is_some() {
            println!("zakup demo: the data set is already loaded");
            return Ok(());
        }
        let loaded = self
            .run_as(
                &p.organizer,
                "query($a: UUID!) { announcement(id: $a) { version } }",
                json!({"a": self.id(laptops_plan().key)}),
            )
            .await?;
        if !loaded["announcement"].is_null() {
            return Err(
                "a previous `zakup demo` stopped part way: the data set is incomplete. \
                 Start again on a new database: stop the server, remove the data directory \
                 (ZAKUP_DATA_DIR, `.zakup/` by default) and run `zakup demo` again"
                    .into(),
            );
        }
        self.at(now - Duration::days(STORY)).await?;
        for signer in [
            &p.secretary,
            &p.chairman,
            &p.member_a,
            &p.member_b,
            &p.organizer_rep,
            &p.organizer,
        ] {
            self.run_as(signer, "mutation($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
                json!({"i": signer.iin, "k": hex(signing_key(signer)?.public_key().as_ref())})).await?;
        }
        // A completed auction (about four weeks from publication to results).
        self.at(now - Duration::days(118)).await?;
        self.completed_auction().await?;

        // A housing purchase accepting offers for 30 days while the open tender below runs.
        let housing = self.housing_accepting().await?;

        // A completed open tender: discussion, two applications, voting, both protocols.
        self.at(now - Duration::days(75)).await?;
        let laptops = self.prepared(&laptops_plan()).await?;
        self.publish(laptops).await?;
        // A qualification selection on the tender's time frame. Its steps are boxed, as the
        // ones added after them should be: this story's future is already large enough to
        // overflow a test thread's stack in a debug build.
        let selection = Box::pin(self.selection_published(true)).await?;
        self.fire(laptops, "end_discussion").await?;
        self.fire(laptops, "start_acceptance").await?;
        Box::pin(self.fire(selection, "start_acceptance")).await?;
        Box::pin(self.selection_applied(selection, true)).await?;
        self.apply(&p.suppliers[0], laptops, &[("PI-2026-0101", "41500000.00")])
            .await?;
        self.apply(&p.suppliers[1], laptops, &[("PI-2026-0101", "39990000.00")])
            .await?;
        self.fire(laptops, "end_acceptance").await?;
        Box::pin(self.fire(selection, "end_acceptance")).await?;
        Box::pin(self.selection_completed(selection)).await?;
        // The majority finds the second supplier short of experience: it may supplement.
        let lot = ["PI-2026-0101"];
        let (first, second) = (&p.suppliers[0], &p.suppliers[1]);
        for member in [&p.chairman, &p.member_a, &p.member_b] {
            self.vote(member, laptops, first, ballot(&lot, None))
                .await?;
        }
        for member in [&p.chairman, &p.member_a] {
            self.vote(member, laptops, second, ballot(&lot, Some("PI-2026-0101")))
                .await?;
        }
        self.vote(&p.member_b, laptops, second, ballot(&lot, None))
            .await?;
        self.secretary(laptops, "completeVoting").await?;
        self.secretary(laptops, "formPreliminaryAdmissionProtocol")
            .await?;
        self.sign_and_publish(laptops, "preliminary_admission")
            .await?;
        self.run_as(second, "mutation($c: UUID!, $a: UUID!, $app: UUID!, $d: [FileRefInput!]!) { supplementApplication(commandId: $c, announcementId: $a, applicationId: $app, planItemIds: [\"PI-2026-0101\"], documents: $d) { version } }",
            json!({"a": laptops, "app": self.application(laptops, second), "d": [file("experience")]})).await?;
        self.fire(laptops, "end_supplement_period").await?;
        for member in [&p.chairman, &p.member_a] {
            self.vote(member, laptops, second, ballot(&lot, None))
                .await?;
        }
        self.secretary(laptops, "completeVoting").await?;
        self.discounts(laptops, "PI-2026-0101").await?;
        self.secretary(laptops, "formResultsProtocol").await?;
        self.sign_and_publish(laptops, "results").await?;
        self.record("Открытый конкурс, завершён", laptops);
        self.housing_results(housing).await?;

        // A completed request for price quotations: results at the end of acceptance.
        self.at(now - Duration::days(40)).await?;
        // An auction published beside it: the moves after fire its timed transitions.
        let toner = self.prepared(&toner_plan()).await?;
        self.publish(toner).await?;
        let paper = self.prepared(&paper_plan()).await?;
        self.publish(paper).await?;
        self.fire(paper, "start_acceptance").await?;
        self.apply(
            &p.suppliers[1],
            paper,
            &[
                ("PI-2026-0201", "2350000.00"),
                ("PI-2026-0202", "880000.00"),
            ],
        )
        .await?;
        self.apply(&p.suppliers[2], paper, &[("PI-2026-0201", "2290000.00")])
            .await?;
        self.fire(paper, "end_acceptance").await?;
        self.record("Запрос ценовых предложений, завершён", paper);
        Box::pin(self.guarantees(laptops, paper)).await?;

        // A cancelled request for price quotations (court ruling).
        self.at(now - Duration::days(30)).await?;
        let cleaning = self.prepared(&cleaning_plan()).await?;
        self.publish(cleaning).await?;
        self.run_as(&p.organizer, "mutation($c: UUID!, $a: UUID!, $lots: [String!]!, $act: GroundingActInput!) { cancelLots(commandId: $c, announcementId: $a, planItemIds: $lots, act: $act) { version } }",
            json!({"a": cleaning, "lots": ["PI-2026-0301"], "act": act("ruling")})).await?;
        self.record("Запрос ценовых предложений, отменён", cleaning);
        // The auction published beside the paper accepts applications now.
        self.auction_applications(toner).await?;

        // An open tender in voting: the chairman has voted, the members' votes are awaited.
        self.at(now - Duration::days(26)).await?;
        let meals = self.prepared(&meals_plan()).await?;
        self.publish(meals).await?;
        let voting = Box::pin(self.selection_published(false)).await?;
        self.fire(meals, "end_discussion").await?;
        self.fire(meals, "start_acceptance").await?;
        Box::pin(self.fire(voting, "start_acceptance")).await?;
        Box::pin(self.selection_applied(voting, false)).await?;
        self.apply(&p.suppliers[2], meals, &[("PI-2026-0501", "18700000.00")])
            .await?;
        self.apply(&p.suppliers[0], meals, &[("PI-2026-0501", "19250000.00")])
            .await?;
        self.fire(meals, "end_acceptance").await?;
        Box::pin(self.fire(voting, "end_acceptance")).await?;
        for supplier in [&p.suppliers[2], &p.suppliers[0]] {
            self.vote(
                &p.chairman,
                meals,
                supplier,
                ballot(&["PI-2026-0501"], None),
            )
            .await?;
        }
        self.record("Открытый конкурс, голосование комиссии", meals);
        Box::pin(self.selection_voting(voting)).await?;

        // A suspended open tender (prosecutor's submission), accepting applications before.
        self.at(now - Duration::days(20)).await?;
        let repair = self.prepared(&repair_plan()).await?;
        self.publish(repair).await?;
        self.fire(repair, "end_discussion").await?;
        self.fire(repair, "start_acceptance").await?;
        self.run_as(&p.secretary, "mutation($c: UUID!, $a: UUID!, $act: GroundingActInput!) { suspend(commandId: $c, announcementId: $a, act: $act) { version } }",
            json!({"a": repair, "act": act("submission")})).await?;
        self.record("Открытый конкурс, приостановлен", repair);

        // An open tender accepting applications, one already submitted.
        self.at(now - Duration::days(9)).await?;
        let furniture = self.prepared(&furniture_plan()).await?;
        self.publish(furniture).await?;
        let social_order = Box::pin(self.social_order_published()).await?;
        self.fire(furniture, "end_discussion").await?;
        self.fire(furniture, "start_acceptance").await?;
        Box::pin(self.fire(social_order, "start_acceptance")).await?;
        Box::pin(self.social_order_accepting(social_order)).await?;
        self.apply(
            &p.suppliers[0],
            furniture,
            &[("PI-2026-0601", "6120000.00")],
        )
        .await?;
        self.record("Открытый конкурс, приём заявок", furniture);
        self.off_portal().await?;

        // A PPP competition in its discussion, with a message and a negative conclusion.
        self.at(now - Duration::days(5)).await?;
        Box::pin(self.ppp_competition()).await?;

        // A draft, visible only to the organizer's organisation.
        self.at(now - Duration::hours(3)).await?;
        let draft = self.prepared(&draft_plan()).await?;
        self.record("Запрос ценовых предложений, проект", draft);

        // A request the organizer returned to the customer.
        self.request(
            &Item {
                id: "PI-2026-0801",
                customer: |p| &p.clinic,
                name_ru: "Медицинские перчатки нитриловые",
                name_kk: "Нитрилді медициналық қолғаптар",
                amount: "640000.00",
                ktru: "222919.000.000001",
            },
            "goods",
        )
        .await?;
        self.run_as(&p.organizer, "mutation($c: UUID!) { returnToCustomer(commandId: $c, planItemId: \"PI-2026-0801\", reason: \"Не указана техническая спецификация\") { version } }", json!({})).await?;
        // An auction in bidding: its admission protocol published now, bidding at 10:00 on
        // the next working day (decision 0713).
        self.auction_in_bidding(toner).await?;
        // Loaded: from here the sandbox's time runs like the real clock. The fixed command id
        // marks the data set complete.
        self.advance(self.completed(), Target::By(Duration::zero()), 1)
            .await
    }

    fn completed(&self) -> Uuid {
        self.id("demo/complete")
    }

    /// Moves the sandbox's clock as the operator, firing what falls due, standing still after.
    async fn advance(&self, command_id: Uuid, to: Target, acceleration: u32) -> Result<(), Error> {
        let operator = Actor {
            user_id: "operator".into(),
            iin: OPERATOR_IIN.parse()?,
            org: OPERATOR_BIN.parse()?,
            roles: vec![Role::Operator],
        };
        let meta = CommandMeta {
            command_id,
            correlation_id: None,
            causation_id: None,
            actor: operator,
            unread_notices: Default::default(),
        };
        let moved = sandbox::advance(&self.engine, &meta, to, Some(acceleration)).await?;
        for f in &moved.fired {
            if let Err(e) = &f.result {
                return Err(format!(
                    "{:?} of announcement {} refused: {e}",
                    f.transition, f.announcement_id
                )
                .into());
            }
        }
        Ok(())
    }

    fn record(&self, what: &str, id: Uuid) {
        self.loaded.borrow_mut().push((what.to_owned(), id));
    }

    /// Moves the clock to `instant`, or leaves it where it is if it is there already.
    async fn at(&self, instant: DateTime<Utc>) -> Result<(), Error> {
        let to = if instant > self.now() {
            Target::At(instant)
        } else {
            Target::By(Duration::zero())
        };
        self.advance(Uuid::new_v4(), to, 0).await
    }

    fn now(&self) -> DateTime<Utc> {
        self.engine.clock().now()
    }

    fn id(&self, label: &str) -> Uuid {
        Uuid::new_v5(&NAMESPACE, label.as_bytes())
    }

    /// Runs `query` as `who` with a fresh command id `$c`; fails on any GraphQL error.
    async fn run_as(&self, who: &Person, query: &str, mut vars: Value) -> Result<Value, Error> {
        let step = self.step.get() + 1;
        self.step.set(step);
        if let Some(map) = vars.as_object_mut() {
            map.insert("c".into(), json!(self.id(&format!("command/{step}"))));
        }
        let request = Request::new(query)
            .variables(Variables::from_json(vars))
            .data(Viewer::trusted(who.principal()));
        let response = self.schema.execute(request).await;
        if !response.errors.is_empty() {
            let errors: Vec<String> = response
                .errors
                .iter()
                .map(|e| format!("{} {:?}", e.message, e.extensions))
                .collect();
            return Err(
                format!("demo step {step} ({query}) refused: {}", errors.join("; ")).into(),
            );
        }
        Ok(response.data.into_json()?)
    }

    async fn request(&self, item: &Item, subject: &str) -> Result<(), Error> {
        let customer = (item.customer)(&self.people);
        self.run_as(customer,
            "mutation($c: UUID!, $id: String!, $org: String!, $subject: String!, $name: String!, $amount: String!) {
               requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: $subject, nameRu: $name, amount: $amount) { version } }",
            json!({"id": item.id, "org": self.people.organizer.org, "subject": subject, "name": item.name_ru, "amount": item.amount})).await?;
        Ok(())
    }

    /// A draft with its lots, ready to publish: header, lots from the customers' requests, lot
    /// data and specifications, contract draft, and for an open tender the representatives,
    /// commission and signed documentation; acceptance dates that the rules accept.
    async fn prepared(&self, plan: &Plan) -> Result<Uuid, Error> {
        let p = &self.people;
        let id = self.id(plan.key);
        for item in &plan.items {
            self.request(item, plan.subject).await?;
        }
        let header = json!({
            "method": plan.method, "procurementType": "first", "subjectType": plan.subject,
            "nameKk": plan.name_kk, "nameRu": plan.name_ru,
            "amongDisabledOrganizations": false, "singleOrganizer": false,
        });
        self.run_as(&p.organizer, "mutation($c: UUID!, $a: UUID!, $n: String!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: $n, header: $h) { version } }",
            json!({"a": id, "n": format!("{}-1", plan.serial), "h": header})).await?;
        let code = match plan.method {
            "open_tender" => "ОК",
            "auction" => "АУК",
            "housing" => "ЖЛ",
            "prequalification" => "БЗ",
            "price_quotations_non_gz" => "НС",
            "qualification_selection" => "КО",
            "state_social_order" => "ГСЗ",
            _ => "ЗЦП",
        };
        let lots: Vec<Value> = plan
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                json!({
                    "planItemId": item.id,
                    "lotNumber": format!("{}-{code}1", plan.serial * 10 + i as u32 + 1),
                    "customerBin": (item.customer)(p).org,
                    "nameRu": item.name_ru, "nameKk": item.name_kk, "amount": item.amount,
                    "ktru": item.ktru,
                })
            })
            .collect();
        self.run_as(&p.organizer, "mutation($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }",
            json!({"a": id, "l": lots})).await?;
        for item in &plan.items {
            let (terms, spec) = match plan.subject {
                "goods" => (
                    json!({"subject": "goods", "deliveryConditions": "DDP"}),
                    json!({"form": "template", "descriptionKk": item.name_kk, "descriptionRu": item.name_ru,
                           "characteristicsKk": "Техникалық сипаттамаға сәйкес", "characteristicsRu": "Согласно технической спецификации",
                           "signedDocument": file("spec")}),
                ),
                _ => (
                    json!({"subject": "service", "engineering": false, "dumpingAmount": null}),
                    json!({"form": "files", "files": [file("spec")]}),
                ),
            };
            self.run_as(&p.organizer, "mutation($c: UUID!, $a: UUID!, $i: String!, $t: LotTermsInput!) { setLotTerms(commandId: $c, announcementId: $a, planItemId: $i, terms: $t) { version } }",
                json!({"a": id, "i": item.id, "t": terms})).await?;
            self.run_as(&p.organizer, "mutation($c: UUID!, $a: UUID!, $i: String!, $s: TechnicalSpecificationInput!) { attachTechnicalSpecification(commandId: $c, announcementId: $a, planItemId: $i, specification: $s) { version } }",
                json!({"a": id, "i": item.id, "s": spec})).await?;
        }
        let contract = json!({"template": format!("typical-{}", plan.subject), "addedClauses": [], "signedDocument": file("contract")});
        self.run_as(&p.organizer, "mutation($c: UUID!, $a: UUID!, $d: ContractDraftInput!) { approveContractDraft(commandId: $c, announcementId: $a, contractDraft: $d) { version } }",
            json!({"a": id, "d": contract})).await?;
        // The procurement for non-subjects has no representatives step (spec 000-C §2.19).
        if !matches!(plan.method, "price_quotations" | "price_quotations_non_gz") {
            let representatives = json!({
                "applicationValidityDays": 60,
                "organizerRepresentative": p.organizer_rep.json(),
                "customerRepresentative": p.customer_rep.json(),
                "organizerBankAccount": "KZ86125KZT5004100100", "securityBankAccount": "KZ75125KZT2069100100",
                "customerBankAccount": "KZ14070KZT1001234567",
                "approver": {"fullName": "Тлеубаев Серик Жанатович", "orderNumber": "17-п",
                             "orderDate": self.calendar.to_local_date(self.now())?.to_string()},
            });
            self.run_as(&p.organizer, "mutation($c: UUID!, $a: UUID!, $r: RepresentativesInput!) { setRepresentatives(commandId: $c, announcementId: $a, representatives: $r) { version } }",
                json!({"a": id, "r": representatives})).await?;
        }
        // The auction drafts as the open tender does (spec 000-B §2): a commission, documentation.
        let (start, end) = if matches!(
            plan.method,
            "open_tender" | "auction" | "qualification_selection" | "state_social_order"
        ) {
            self.run_as(&p.organizer, "mutation($c: UUID!, $a: UUID!, $m: CommissionInput!) { setCommission(commandId: $c, announcementId: $a, commission: $m) { version } }",
                json!({"a": id, "m": p.commission()})).await?;
            let documentation = json!({
                "documents": [{"name": "Приложение 8 (обеспечение заявки)", "obligatoryForSupplier": true},
                              {"name": "Приложение 6 (опыт работы)", "obligatoryForSupplier": false}],
                "licences": [], "permits": [],
                "signedDocumentation": file("tender-documentation"), "signedAppendix1": file("appendix-1"),
            });
            self.run_as(&p.organizer, "mutation($c: UUID!, $a: UUID!, $d: TenderDocumentationInput!) { signTenderDocumentation(commandId: $c, announcementId: $a, documentation: $d) { version } }",
                json!({"a": id, "d": documentation})).await?;
            let start = self.working_days_after(6)?;
            // The state social order accepts for at least 20 calendar days (spec 000-C §5.3).
            let days = if plan.method == "state_social_order" {
                20
            } else {
                15
            };
            (start, start + Duration::days(days))
        } else if plan.method == "housing" {
            // Housing: a later date than today, 30 calendar days (spec 000-B D-17).
            let start = self.now() + Duration::days(1);
            (start, start + Duration::days(30))
        } else {
            let start = self.now() + Duration::days(1);
            (start, start + Duration::days(7))
        };
        self.run_as(&p.organizer, "mutation($c: UUID!, $a: UUID!, $s: DateTime!, $e: DateTime!) { setAcceptanceDates(commandId: $c, announcementId: $a, start: $s, end: $e) { version } }",
            json!({"a": id, "s": start, "e": end})).await?;
        Ok(id)
    }

    /// 10:00 Astana on the `n`-th working day after today.
    fn working_days_after(&self, n: u32) -> Result<DateTime<Utc>, Error> {
        let c = &self.calendar;
        let day = c.add_working_days(c.to_local_date(self.now())?, n)?;
        let ten = NaiveTime::from_hms_opt(10, 0, 0).ok_or("10:00 is a time")?;
        Ok(c.to_utc(day.and_time(ten))?)
    }

    async fn publish(&self, id: Uuid) -> Result<(), Error> {
        self.run_as(&self.people.organizer, "mutation($c: UUID!, $a: UUID!) { publish(commandId: $c, announcementId: $a) { version } }",
            json!({"a": id})).await?;
        Ok(())
    }

    /// Moves the clock to the announcement's deadline for `transition`, which fires it.
    async fn fire(&self, id: Uuid, transition: &str) -> Result<(), Error> {
        let data = self
            .run_as(
                &self.people.organizer,
                "query($a: UUID!) { announcement(id: $a) { deadlines { transition at } } }",
                json!({"a": id}),
            )
            .await?;
        let at = data["announcement"]["deadlines"]
            .as_array()
            .and_then(|d| d.iter().find(|d| d["transition"] == transition))
            .and_then(|d| d["at"].as_str());
        // None: a move fired it already, with the transition before it (a discussion ending
        // after the acceptance's start starts the acceptance at once).
        let Some(at) = at else {
            return Ok(());
        };
        let at: DateTime<Utc> = at.parse()?;
        // The move fires it, as a sandbox server would.
        self.at(at).await?;
        self.at(self.now() + Duration::hours(1)).await?;
        Ok(())
    }

    async fn apply(
        &self,
        supplier: &Person,
        id: Uuid,
        offers: &[(&str, &str)],
    ) -> Result<(), Error> {
        let offers: Vec<Value> = offers
            .iter()
            .map(|(lot, price)| json!({"planItemId": lot, "price": price}))
            .collect();
        self.run_as(supplier, "mutation($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
            json!({"a": id, "app": self.application(id, supplier), "o": offers})).await?;
        self.at(self.now() + Duration::hours(2)).await?;
        Ok(())
    }

    fn application(&self, id: Uuid, supplier: &Person) -> Uuid {
        self.id(&format!("application/{id}/{}", supplier.user))
    }

    async fn vote(
        &self,
        member: &Person,
        id: Uuid,
        supplier: &Person,
        ballot: Value,
    ) -> Result<(), Error> {
        self.run_as(member, "mutation($c: UUID!, $a: UUID!, $app: UUID!, $b: BallotInput!) { castVote(commandId: $c, announcementId: $a, applicationId: $app, ballot: $b) { version } }",
            json!({"a": id, "app": self.application(id, supplier), "b": ballot})).await?;
        Ok(())
    }

    async fn secretary(&self, id: Uuid, mutation: &str) -> Result<(), Error> {
        self.run_as(&self.people.secretary, &format!("mutation($c: UUID!, $a: UUID!) {{ {mutation}(commandId: $c, announcementId: $a) {{ version }} }}"),
            json!({"a": id})).await?;
        Ok(())
    }

    /// No conditional discounts for any application on the lot.
    async fn discounts(&self, id: Uuid, lot: &str) -> Result<(), Error> {
        let data = self
            .run_as(
                &self.people.secretary,
                "query($a: UUID!) { announcement(id: $a) { applications { applicationId } } }",
                json!({"a": id}),
            )
            .await?;
        let zero = json!({"experienceYears": 0, "experienceMonths": 0, "experiencePct": "0", "qmsPct": "0",
            "emsPct": "0", "sechpPct": "0", "voluntaryConformityPct": "0", "functionalPct": "0",
            "technicalPct": "0", "qualityPct": "0", "operationalPct": "0"});
        let entries: Vec<Value> = data["announcement"]["applications"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| json!({"applicationId": x["applicationId"], "form": zero}))
                    .collect()
            })
            .unwrap_or_default();
        self.run_as(&self.people.secretary, "mutation($c: UUID!, $a: UUID!, $l: String!, $e: [DiscountEntryInput!]!) { fillConditionalDiscounts(commandId: $c, announcementId: $a, planItemId: $l, entries: $e) { version } }",
            json!({"a": id, "l": lot, "e": entries})).await?;
        self.secretary(id, "completeConditionalDiscounts").await
    }

    /// The secretary, the chairman and a member sign the valid version; the secretary publishes.
    async fn sign_and_publish(&self, id: Uuid, kind: &str) -> Result<(), Error> {
        let p = &self.people;
        let signers = [&p.secretary, &p.chairman, &p.member_a];
        self.sign_and_publish_as(id, kind, &signers, &p.secretary)
            .await
    }

    /// `signers` sign the valid version of `kind`; `publisher` publishes it.
    async fn sign_and_publish_as(
        &self,
        id: Uuid,
        kind: &str,
        signers: &[&Person],
        publisher: &Person,
    ) -> Result<(), Error> {
        let data = self.run_as(&self.people.secretary, "query($a: UUID!) { announcement(id: $a) { protocols { kind { id } version validity { id } contentSha256 } } }",
            json!({"a": id})).await?;
        let protocol = data["announcement"]["protocols"]
            .as_array()
            .and_then(|ps| {
                ps.iter()
                    .find(|p| p["kind"]["id"] == kind && p["validity"]["id"] == "valid")
            })
            .ok_or_else(|| format!("no valid {kind} protocol on {id}"))?
            .clone();
        let hash = protocol["contentSha256"]
            .as_str()
            .ok_or("a protocol has a content hash")?;
        for signer in signers {
            let signature = hex(signing_key(signer)?.sign(hash.as_bytes()).as_ref());
            self.run_as(signer, "mutation($c: UUID!, $a: UUID!, $k: String!, $v: Int!, $i: String!, $h: String!, $s: String!) { signProtocol(commandId: $c, announcementId: $a, kind: $k, version: $v, signerIin: $i, contentSha256: $h, signature: $s) { version } }",
                json!({"a": id, "k": kind, "v": protocol["version"], "i": signer.iin, "h": hash, "s": signature})).await?;
        }
        self.run_as(publisher, "mutation($c: UUID!, $a: UUID!, $k: String!) { publishProtocol(commandId: $c, announcementId: $a, kind: $k) { version } }",
            json!({"a": id, "k": kind})).await?;
        Ok(())
    }
}

/// The demo's signing key of a person: derived from the ИИН, so a second run signs alike.
/// Development keys only: anyone can derive them.
fn signing_key(who: &Person) -> Result<Ed25519KeyPair, Error> {
    let a = Uuid::new_v5(&NAMESPACE, format!("key/{}/1", who.iin).as_bytes());
    let b = Uuid::new_v5(&NAMESPACE, format!("key/{}/2", who.iin).as_bytes());
    let mut seed = [0u8; 32];
    seed[..16].copy_from_slice(a.as_bytes());
    seed[16..].copy_from_slice(b.as_bytes());
    Ed25519KeyPair::from_seed_unchecked(&seed).map_err(|e| format!("demo key: {e}").into())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Admits on every lot, or rejects `rejected` for want of experience (qualification).
fn ballot(lots: &[&str], rejected: Option<&str>) -> Value {
    json!({
        "commonArticle6": {"verdict": "admitted"},
        "lots": lots.iter().map(|l| json!({
            "planItemId": l,
            "documentation": {"verdict": "admitted"},
            "qualification": if Some(*l) == rejected {
                json!({"verdict": "rejected", "documents": ["Приложение 6"], "reason": "Не подтверждён опыт работы"})
            } else {
                json!({"verdict": "admitted"})
            },
            "article6": {"verdict": "admitted"},
            "file": null,
        })).collect::<Vec<_>>(),
    })
}

fn file(name: &str) -> Value {
    json!({"fileId": format!("demo-{name}"), "name": format!("{name}.pdf")})
}

fn act(act_type: &str) -> Value {
    let (body, body_name) = match act_type {
        "submission" => ("prosecutor", "Прокуратура города Астаны"),
        _ => (
            "court",
            "Специализированный межрайонный экономический суд города Астаны",
        ),
    };
    json!({"body": body, "bodyName": body_name, "actType": act_type, "number": "2-4417/26",
           "date": "2026-01-15", "file": file("act")})
}

#[cfg(test)]
mod tests;
