//! The people of an open tender and the commands every end-to-end test uses to bring one to the
//! point it tests: drafted and published, accepting applications, voted, protocols signed.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{App, Person, bin, person};

/// The organizer's staff (organizer, secretary, chairman, two members), the customer, two
/// suppliers, the internal-audit inspector and the Committee.
pub struct Cast {
    pub organizer: Person,
    pub secretary: Person,
    pub chairman: Person,
    pub member_a: Person,
    pub member_b: Person,
    pub customer: Person,
    pub suppliers: [Person; 2],
    pub inspector: Person,
    pub committee: Person,
}

pub fn cast() -> Cast {
    let organizer_org = bin(1);
    let staff =
        |user: &str, name: &str, n| person(user, name, n, organizer_org.clone(), "organizer");
    Cast {
        organizer: staff("organizer", "Сейтқали Айгерім", 1),
        secretary: staff("secretary", "Омарова Дана", 2),
        chairman: staff("chairman", "Жумабаев Ерлан", 3),
        member_a: staff("member_a", "Ким Асель", 4),
        member_b: staff("member_b", "Бекмұратов Нұрлан", 5),
        customer: person("customer", "Школа-лицей №12", 10, bin(2), "customer"),
        suppliers: [
            person("alatau", "ТОО «Алатау Техно»", 101, bin(101), "supplier"),
            person(
                "saryarka",
                "ТОО «Сарыарқа Сервис»",
                102,
                bin(102),
                "supplier",
            ),
        ],
        inspector: person("inspector", "Инспектор ДВГА", 60, bin(60), "inspector"),
        committee: person("kvga", "Комитет ВГА", 61, bin(61), "audit_committee"),
    }
}

/// A signed file as the portal's file service would reference it.
pub fn file(name: &str) -> Value {
    json!({"fileId": format!("file-{name}"), "name": format!("{name}.pdf")})
}

/// A ballot admitting on every point of every lot of `lots`, but rejecting the qualification on
/// the lot `rejected`.
pub fn ballot(lots: &[&str], rejected: Option<&str>) -> Value {
    json!({
        "commonArticle6": {"verdict": "admitted"},
        "lots": lots.iter().map(|l| json!({
            "planItemId": l,
            "documentation": {"verdict": "admitted"},
            "qualification": if Some(*l) == rejected {
                json!({"verdict": "rejected", "documents": ["Приложение 6"], "reason": "Нет опыта работы"})
            } else {
                json!({"verdict": "admitted"})
            },
            "article6": {"verdict": "admitted"},
            "file": null,
        })).collect::<Vec<_>>(),
    })
}

/// A mutation that takes only the announcement.
pub async fn simple(app: &App, who: &Person, id: Uuid, mutation: &str) -> Value {
    app.command(who, &format!("($c: UUID!, $a: UUID!) {{ {mutation}(commandId: $c, announcementId: $a) {{ version position duplicate }} }}"),
        json!({"a": id})).await
}

/// When the scheduler will fire `transition`, as the announcement shows it to `who`.
pub async fn deadline(app: &App, who: &Person, id: Uuid, transition: &str) -> DateTime<Utc> {
    let d = app
        .ok(
            Some(who),
            "query($a: UUID!) { announcement(id: $a) { deadlines { transition at } } }",
            json!({"a": id}),
        )
        .await;
    d["announcement"]["deadlines"]
        .as_array()
        .and_then(|all| all.iter().find(|x| x["transition"] == transition))
        .and_then(|x| x["at"].as_str())
        .unwrap_or_else(|| panic!("no {transition} deadline: {d}"))
        .parse()
        .expect("an instant")
}

/// Casts the vote; returns the mutation's answer (`version`, `position`).
pub async fn vote(app: &App, member: &Person, id: Uuid, application: Uuid, ballot: Value) -> Value {
    app.command(member, "($c: UUID!, $a: UUID!, $app: UUID!, $b: BallotInput!) { castVote(commandId: $c, announcementId: $a, applicationId: $app, ballot: $b) { version position } }",
        json!({"a": id, "app": application, "b": ballot})).await
}

/// The signers sign the newest valid version of the `kind` protocol with their keys (a
/// revision's new version stands beside the one it will supersede); the secretary publishes it.
pub async fn sign_and_publish(
    app: &App,
    c: &Cast,
    id: Uuid,
    kind: &str,
    signers: &[&Person],
) -> Value {
    sign(app, c, id, kind, signers).await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $k: String!) { publishProtocol(commandId: $c, announcementId: $a, kind: $k) { version position } }",
        json!({"a": id, "k": kind})).await
}

/// The signers sign the valid protocol of `kind`, in order; the last signature's outcome.
pub async fn sign(app: &App, c: &Cast, id: Uuid, kind: &str, signers: &[&Person]) -> Value {
    let d = app
        .ok(
            Some(&c.secretary),
            "query($a: UUID!) { announcement(id: $a) { protocols { kind { id } version validity { id } contentSha256 } } }",
            json!({"a": id}),
        )
        .await;
    let protocol = d["announcement"]["protocols"]
        .as_array()
        .and_then(|ps| {
            ps.iter()
                .rev()
                .find(|p| p["kind"]["id"] == kind && p["validity"]["id"] == "valid")
        })
        .unwrap_or_else(|| panic!("no valid {kind} protocol: {d}"))
        .clone();
    let hash = protocol["contentSha256"].as_str().expect("a hash");
    let mut last = Value::Null;
    for signer in signers {
        last = app.command(signer, "($c: UUID!, $a: UUID!, $k: String!, $v: Int!, $i: String!, $h: String!, $s: String!) { signProtocol(commandId: $c, announcementId: $a, kind: $k, version: $v, signerIin: $i, contentSha256: $h, signature: $s) { version position } }",
            json!({"a": id, "k": kind, "v": protocol["version"], "i": signer.iin, "h": hash, "s": signer.sign(hash)})).await;
    }
    last
}

/// The organizer's open tender with one lot per plan item, drafted and published: «Опубликовано»,
/// the discussion running. Acceptance starts six working days on and lasts 30 days, so a
/// notice's countdown can run out while applications are accepted.
pub async fn published(app: &App, c: &Cast, id: Uuid, plan_items: &[&str]) {
    let request = "($c: UUID!, $id: String!, $org: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"goods\", nameRu: \"Ноутбуки\", amount: \"9000000.00\") { version } }";
    for pi in plan_items {
        app.command(
            &c.customer,
            request,
            json!({"id": pi, "org": c.organizer.org}),
        )
        .await;
    }
    let header = json!({"method": "open_tender", "procurementType": "first", "subjectType": "goods",
        "nameKk": "Ноутбуктер сатып алу", "nameRu": "Закупка ноутбуков",
        "amongDisabledOrganizations": false, "singleOrganizer": false});
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776705-1\", header: $h) { version } }",
        json!({"a": id, "h": header})).await;
    let lots: Vec<Value> = plan_items.iter().enumerate().map(|(k, pi)| json!(
        {"planItemId": pi, "lotNumber": format!("8749161{k}-ОК1"), "customerBin": c.customer.org,
         "nameRu": format!("Ноутбук {k}"), "nameKk": format!("Ноутбук {k}"), "amount": "9000000.00"})).collect();
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }", json!({"a": id, "l": lots})).await;
    documented(app, c, id, plan_items).await;
    let start = app.working_days_after(6);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $s: DateTime!, $e: DateTime!) { setAcceptanceDates(commandId: $c, announcementId: $a, start: $s, end: $e) { version } }",
        json!({"a": id, "s": start, "e": start + Duration::days(30)})).await;
    simple(app, &c.organizer, id, "publish").await;
}

/// Everything publication needs after the lots but the acceptance dates: each lot's terms and
/// technical specification, the contract draft, the representatives, the commission and the
/// signed tender documentation.
pub async fn documented(app: &App, c: &Cast, id: Uuid, plan_items: &[&str]) {
    for pi in plan_items {
        app.command(&c.organizer, "($c: UUID!, $a: UUID!, $i: String!, $t: LotTermsInput!) { setLotTerms(commandId: $c, announcementId: $a, planItemId: $i, terms: $t) { version } }",
            json!({"a": id, "i": pi, "t": {"subject": "goods", "deliveryConditions": "DDP"}})).await;
        app.command(&c.organizer, "($c: UUID!, $a: UUID!, $i: String!, $s: TechnicalSpecificationInput!) { attachTechnicalSpecification(commandId: $c, announcementId: $a, planItemId: $i, specification: $s) { version } }",
            json!({"a": id, "i": pi, "s": {"form": "template", "descriptionKk": "Сипаттама", "descriptionRu": "Описание",
                "characteristicsKk": "Сипаттамалар", "characteristicsRu": "Характеристики", "signedDocument": file("spec")}})).await;
    }
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $d: ContractDraftInput!) { approveContractDraft(commandId: $c, announcementId: $a, contractDraft: $d) { version } }",
        json!({"a": id, "d": {"template": "typical-goods", "addedClauses": [], "signedDocument": file("contract")}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $r: RepresentativesInput!) { setRepresentatives(commandId: $c, announcementId: $a, representatives: $r) { version } }",
        json!({"a": id, "r": {"applicationValidityDays": 60, "organizerRepresentative": c.organizer.json(),
            "customerRepresentative": c.customer.json(), "organizerBankAccount": "KZ86125KZT5004100100",
            "securityBankAccount": "KZ75125KZT2069100100", "customerBankAccount": "KZ14070KZT1001234567",
            "approver": {"fullName": "Тлеубаев Серик", "orderNumber": "5", "orderDate": "2026-01-30"}}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $m: CommissionInput!) { setCommission(commandId: $c, announcementId: $a, commission: $m) { version } }",
        json!({"a": id, "m": {"chairman": c.chairman.json(), "members": [c.member_a.json(), c.member_b.json()], "secretary": c.secretary.json()}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $d: TenderDocumentationInput!) { signTenderDocumentation(commandId: $c, announcementId: $a, documentation: $d) { version } }",
        json!({"a": id, "d": {"documents": [{"name": "Приложение 8", "obligatoryForSupplier": true}], "licences": [], "permits": [],
            "signedDocumentation": file("documentation"), "signedAppendix1": file("appendix-1")}})).await;
}

/// No supplier request: the discussion ends with the automatic protocol, and acceptance starts
/// (L1884–1926): «Опубликовано (прием заявок)».
pub async fn accepting(app: &App, c: &Cast, id: Uuid) {
    for transition in ["end_discussion", "start_acceptance"] {
        let at = deadline(app, &c.organizer, id, transition).await;
        app.fire(id, transition, at).await;
    }
}

/// The secretary, the chairman and one member: the signatures these tests put on a protocol.
pub fn quorum(c: &Cast) -> [&Person; 3] {
    [&c.secretary, &c.chairman, &c.member_a]
}
