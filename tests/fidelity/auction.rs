//! The auction end to end over HTTP (spec 000-B, issue 15): draft → publication → acceptance →
//! admission protocol → bidding with several suppliers → the automatic results protocol →
//! completion, a repeat auction from the failed lot, and a cancellation during bidding. Driven on a sandbox server, so that
//! `advanceClock` fires the timed transitions and steps the auctions' results workflow (decision
//! 0712): a moved clock opens the bidding and ends a round.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{
    Cast, cast, deadline, documented, file, quorum, sign_and_publish, simple, vote,
};
use crate::e2e::{App, Person, Socket, astana, bin, next, operator, person, spawn_sandbox};

const AMOUNT: &str = "9000000.00";

async fn advance_to(app: &App, to: DateTime<Utc>) -> Value {
    let d = app
        .ok(
            Some(&operator()),
            "mutation($c: UUID!, $to: DateTime) { advanceClock(commandId: $c, to: $to) { now position fired { transition } } }",
            json!({"c": Uuid::new_v4(), "to": to}),
        )
        .await;
    d["advanceClock"].clone()
}

async fn advance_to_deadline(app: &App, c: &Cast, id: Uuid, transition: &str) {
    let at = deadline(app, &c.organizer, id, transition).await;
    advance_to(app, at).await;
}

fn supplier(n: u32) -> Person {
    person(
        &format!("s{n}"),
        &format!("ТОО «Поставщик {n}»"),
        100 + n,
        bin(100 + n),
        "supplier",
    )
}

/// Monday 2 February 2026, 09:00 Astana.
fn start() -> DateTime<Utc> {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    astana(&calendar, "2026-02-02 09:00")
}

fn instant(v: &Value) -> DateTime<Utc> {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an instant: {v}"))
}

/// The organizer's auction of one goods lot of plan item `pi`, drafted and published.
async fn published(app: &App, c: &Cast, id: Uuid, pi: &str, repeat: bool, number: &str) {
    if !repeat {
        let request = "($c: UUID!, $id: String!, $org: String!, $m: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"goods\", nameRu: \"Бумага\", amount: $m) { version } }";
        app.command(
            &c.customer,
            request,
            json!({"id": pi, "org": c.organizer.org, "m": AMOUNT}),
        )
        .await;
    }
    let header = json!({"method": "auction", "procurementType": if repeat { "repeat" } else { "first" },
        "subjectType": "goods", "nameKk": "Қағаз сатып алу", "nameRu": "Закупка бумаги",
        "amongDisabledOrganizations": false, "singleOrganizer": false});
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $n: String!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: $n, header: $h) { version } }",
        json!({"a": id, "n": number, "h": header})).await;
    let lot = json!([{"planItemId": pi, "lotNumber": format!("{number}-АУК1"), "customerBin": c.customer.org,
        "nameRu": "Бумага А4", "nameKk": "А4 қағазы", "amount": AMOUNT}]);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }",
        json!({"a": id, "l": lot})).await;
    documented(app, c, id, &[pi]).await;
    // D-1: five working days after publication, unless repeat (D-4); D-2: at least 15 days.
    let start = app.working_days_after(if repeat { 1 } else { 6 });
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $s: DateTime!, $e: DateTime!) { setAcceptanceDates(commandId: $c, announcementId: $a, start: $s, end: $e) { version } }",
        json!({"a": id, "s": start, "e": start + Duration::days(15)})).await;
    simple(app, &c.organizer, id, "publish").await;
}

/// From publication to «Опубликовано (ожидание проведения аукциона)»: every supplier of
/// `bidders` applies and is admitted, the admission protocol is signed and published. Returns
/// the applications.
async fn admitted(app: &App, c: &Cast, id: Uuid, pi: &str, bidders: &[&Person]) -> Vec<Uuid> {
    advance_to_deadline(app, c, id, "start_acceptance").await;
    let mut applications = Vec::new();
    for s in bidders {
        let application = Uuid::new_v4();
        app.command(s, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
            json!({"a": id, "app": application, "o": [{"planItemId": pi, "price": AMOUNT}]})).await;
        applications.push(application);
    }
    advance_to_deadline(app, c, id, "end_acceptance").await;
    let ballot = crate::e2e::tender::ballot(&[pi], None);
    for application in &applications {
        for member in [&c.chairman, &c.member_a, &c.member_b] {
            vote(app, member, id, *application, ballot.clone()).await;
        }
    }
    simple(app, &c.secretary, id, "completeVoting").await;
    // P1–P4: formed by the secretary, signed secretary first with a quorum, published.
    simple(app, &c.secretary, id, "formAdmissionProtocol").await;
    sign_and_publish(app, c, id, "admission", &quorum(c)).await;
    applications
}

const SCREEN: &str = "query($a: UUID!) { announcement(id: $a) { status { id original } lots { status { id } outcome winnerApplicationId }
    protocols { kind { id } automatic validity { id } }
    auction { start plannedEnd currentEnd timeLeftSeconds endedAt startingPrice bestPrice offers
      bids { sequence price offeredAt rank supplierBin applicationId own } } } }";

async fn screen(app: &App, who: &Person, id: Uuid) -> Value {
    app.ok(Some(who), SCREEN, json!({"a": id})).await["announcement"].clone()
}

async fn offer(app: &App, who: &Person, id: Uuid, price: &str) -> Value {
    app.post(Some(who), "mutation($c: UUID!, $a: UUID!, $p: String!) { submitPriceOffer(commandId: $c, announcementId: $a, price: $p) { streamId position } }",
        json!({"c": Uuid::new_v4(), "a": id, "p": price})).await
}

async fn accepted(app: &App, who: &Person, id: Uuid, price: &str) {
    let answer = offer(app, who, id, price).await;
    assert!(answer["errors"].is_null(), "{answer}");
    assert_eq!(
        answer["data"]["submitPriceOffer"]["streamId"],
        format!("auction-{id}")
    );
}

fn code(answer: &Value) -> &str {
    answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("not refused: {answer}"))
}

/// `who` subscribes to the live bidding screen of `id` (graphql-transport-ws); the screen as it
/// is comes first.
async fn live(app: &App, who: &Person, id: Uuid) -> Socket {
    use futures::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = format!("ws://{}/graphql/ws", app.addr)
        .into_client_request()
        .expect("a request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().expect("a header"),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    let init = json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {}", app.token(who))}});
    socket
        .send(Message::text(init.to_string()))
        .await
        .expect("init");
    assert_eq!(next(&mut socket).await["type"], "connection_ack");
    let query = "subscription($a: UUID!) { auctionBidding(id: $a) { bestPrice currentEnd timeLeftSeconds offers bids { price rank supplierBin own } } }";
    let start = json!({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": {"a": id}}});
    socket
        .send(Message::text(start.to_string()))
        .await
        .expect("subscribe");
    socket
}

async fn screen_sent(socket: &mut Socket) -> Value {
    let message = next(socket).await;
    assert_eq!(message["type"], "next", "{message}");
    message["payload"]["data"]["auctionBidding"].clone()
}

async fn register_keys(app: &App, signers: &[&Person]) {
    for signer in signers {
        app.command(signer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
            json!({"i": signer.iin, "k": signer.public_key_hex()})).await;
    }
}

// Spec 000-B P1–P7, D-15, D-16 (seed L5540–5600), decisions 0703, 0704, 0711, 0712.
#[tokio::test]
async fn an_auction_runs_from_draft_to_automatic_results_over_http() {
    let app = spawn_sandbox(start()).await;
    let c = cast();
    register_keys(&app, &quorum(&c)).await;
    let (id, pi) = (Uuid::new_v4(), "PI-AUC-1");
    let bidders = [supplier(1), supplier(2), supplier(3)];
    published(&app, &c, id, pi, false, "16776801-1").await;
    advance_to_deadline(&app, &c, id, "end_discussion").await;
    let applications = admitted(&app, &c, id, pi, &bidders.iter().collect::<Vec<_>>()).await;

    let waiting = screen(&app, &c.organizer, id).await;
    assert_eq!(
        waiting["status"]["id"], "published_awaiting_auction",
        "{waiting}"
    );
    assert_eq!(
        waiting["status"]["original"],
        "Опубликовано (ожидание проведения аукциона)"
    );
    let start = instant(&waiting["auction"]["start"]);
    assert_eq!(
        instant(&waiting["auction"]["plannedEnd"]),
        start + Duration::minutes(30)
    );
    assert_eq!(waiting["auction"]["offers"], 0);
    assert_eq!(
        code(&offer(&app, &bidders[0], id, "8900000.00").await),
        "bidding_not_opened"
    );

    // The clock moved to the start opens the bidding (the scheduler's start, the runner's open).
    advance_to(&app, start).await;
    let bidding = screen(&app, &c.organizer, id).await;
    assert_eq!(
        bidding["status"]["id"], "published_auction_in_progress",
        "{bidding}"
    );
    assert_eq!(bidding["auction"]["startingPrice"], AMOUNT);

    let at = |m: i64| start + Duration::minutes(m);
    // Issue 15 item 6: the live screen, at once and after each offer; prices, not bidders.
    let mut watching = live(&app, &bidders[2], id).await;
    let first = screen_sent(&mut watching).await;
    assert_eq!(
        (first["offers"].as_i64(), first["timeLeftSeconds"].as_i64()),
        (Some(0), Some(1800)),
        "{first}"
    );
    advance_to(&app, at(5)).await;
    accepted(&app, &bidders[0], id, "8900000.00").await;
    let mut sent = screen_sent(&mut watching).await;
    while sent["offers"] != 1 {
        sent = screen_sent(&mut watching).await;
    }
    assert_eq!(sent["bestPrice"], "8900000.00", "{sent}");
    assert_eq!(instant(&sent["currentEnd"]), at(30));
    assert!(
        sent["bids"][0]["supplierBin"].is_null() && sent["bids"][0]["own"] == false,
        "{sent}"
    );
    assert_eq!(
        code(&offer(&app, &bidders[1], id, "9000000.01").await),
        "price_above_starting_price"
    );
    assert_eq!(
        code(&offer(&app, &bidders[1], id, "8950000.00").await),
        "price_above_best_offer"
    );
    assert_eq!(
        code(&offer(&app, &bidders[0], id, "8900000.00").await),
        "price_not_below_own_offer"
    );
    assert_eq!(
        code(&offer(&app, &supplier(99), id, "8000000.00").await),
        "not_an_auction_participant"
    );
    advance_to(&app, at(10)).await;
    accepted(&app, &bidders[1], id, "8800000.00").await;
    // D-16: after the 30-minute mark, 10 minutes after the last lowering offer.
    advance_to(&app, at(25)).await;
    accepted(&app, &bidders[2], id, "8700000.00").await;
    let extended = screen(&app, &bidders[0], id).await;
    assert_eq!(
        instant(&extended["auction"]["currentEnd"]),
        at(35),
        "{extended}"
    );
    advance_to(&app, at(34)).await;
    accepted(&app, &bidders[0], id, "8600000.00").await;
    advance_to(&app, at(40)).await;
    // L5596–5600: an equal price is taken and ranks after the earlier; it extends nothing.
    accepted(&app, &bidders[1], id, "8600000.00").await;
    let seen = screen(&app, &bidders[1], id).await;
    let auction = &seen["auction"];
    assert_eq!(instant(&auction["currentEnd"]), at(44), "{seen}");
    assert_eq!(auction["timeLeftSeconds"], 240);
    assert_eq!(auction["bestPrice"], "8600000.00");
    let bids = auction["bids"].as_array().expect("bids");
    assert_eq!(bids.len(), 5);
    assert_eq!(
        (bids[3]["rank"].as_i64(), bids[4]["rank"].as_i64()),
        (Some(1), Some(2))
    );
    // Issue 15 item 6, decision 0711: the prices, not the other bidders.
    for bid in bids {
        assert_eq!(bid["own"], bid["supplierBin"].is_string(), "{bid}");
    }
    assert!(bids[4]["own"].as_bool().unwrap_or(false));
    let organizer_view = screen(&app, &c.organizer, id).await;
    assert!(
        organizer_view["auction"]["bids"]
            .as_array()
            .expect("bids")
            .iter()
            .all(|b| b["supplierBin"].is_null()),
        "the organizer sees no bidder while bidding runs: {organizer_view}"
    );

    // The round's end passes: the runner ends it and the announcement completes by itself (P7).
    advance_to(&app, at(44)).await;
    assert_eq!(
        code(&offer(&app, &bidders[2], id, "8500000.00").await),
        "auction_ended"
    );
    let done = screen(&app, &c.organizer, id).await;
    assert_eq!(done["status"]["id"], "completed", "{done}");
    assert_eq!(done["lots"][0]["outcome"], "held");
    assert_eq!(
        done["lots"][0]["winnerApplicationId"],
        applications[0].to_string()
    );
    assert!(
        done["protocols"]
            .as_array()
            .expect("protocols")
            .iter()
            .any(|p| p["kind"]["id"] == "results" && p["automatic"] == true),
        "{done}"
    );
    let bids = done["auction"]["bids"].as_array().expect("bids");
    assert_eq!(
        bids[3]["supplierBin"], bidders[0].org,
        "the organizer sees the bidders afterwards"
    );
    assert_eq!(instant(&done["auction"]["endedAt"]), at(44));
    let other = screen(&app, &bidders[2], id).await;
    assert!(
        other["auction"]["bids"][3]["supplierBin"].is_null(),
        "never to another supplier"
    );

    // The auditors' replay as of an instant during bidding: four offers, no bidder named then.
    let audit = app.ok(Some(&c.committee), "query($a: UUID!, $t: DateTime!) { announcement(id: $a, asOf: {instant: $t}) { status { id } auction { offers currentEnd bids { price supplierBin } } } }",
        json!({"a": id, "t": at(36)})).await;
    let then = &audit["announcement"];
    assert_eq!(
        then["status"]["id"], "published_auction_in_progress",
        "{audit}"
    );
    assert_eq!(then["auction"]["offers"], 4);
    assert_eq!(instant(&then["auction"]["currentEnd"]), at(44));
    assert!(then["auction"]["bids"][0]["supplierBin"].is_null());
    let now = app
        .ok(
            Some(&c.committee),
            "query($a: UUID!) { announcement(id: $a) { auction { bids { supplierBin } } } }",
            json!({"a": id}),
        )
        .await;
    assert_eq!(
        now["announcement"]["auction"]["bids"][0]["supplierBin"],
        bidders[0].org
    );
}

// Spec 000-B §4.1.9, S11, D-4 (L4319–4325, L5842–5848), decision 0704, 0710: an auction
// without any offer fails its lot; a repeat auction takes that lot, with no discussion and no
// 5-working-day rule; an open tender's repeat does not.
#[tokio::test]
async fn a_repeat_auction_takes_the_lot_of_a_failed_auction() {
    let app = spawn_sandbox(start()).await;
    let c = cast();
    register_keys(&app, &quorum(&c)).await;
    let (id, pi) = (Uuid::new_v4(), "PI-AUC-2");
    let bidder = supplier(4);
    published(&app, &c, id, pi, false, "16776802-1").await;
    advance_to_deadline(&app, &c, id, "end_discussion").await;
    admitted(&app, &c, id, pi, &[&bidder]).await;
    let start = instant(&screen(&app, &c.organizer, id).await["auction"]["start"]);
    // D-15: no offer in the first 30 minutes ends the round then (L5588–5590).
    advance_to(&app, start + Duration::minutes(30)).await;
    let failed = screen(&app, &c.organizer, id).await;
    assert_eq!(failed["status"]["id"], "completed", "{failed}");
    assert_eq!(failed["lots"][0]["outcome"], "failed");

    let open_tender_repeat = Uuid::new_v4();
    let header = json!({"method": "open_tender", "procurementType": "repeat", "subjectType": "goods",
        "nameKk": "Қағаз", "nameRu": "Бумага", "amongDisabledOrganizations": false, "singleOrganizer": false});
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776803-1\", header: $h) { version } }",
        json!({"a": open_tender_repeat, "h": header})).await;
    let lot = json!([{"planItemId": pi, "lotNumber": "16776803-ОК1", "customerBin": c.customer.org,
        "nameRu": "Бумага А4", "nameKk": "А4 қағазы", "amount": AMOUNT}]);
    let refused = app.post(Some(&c.organizer), "mutation($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }",
        json!({"c": Uuid::new_v4(), "a": open_tender_repeat, "l": lot})).await;
    assert_eq!(code(&refused), "plan_item_not_failed");

    let repeat = Uuid::new_v4();
    published(&app, &c, repeat, pi, true, "16776804-1").await;
    let d = app.ok(Some(&c.organizer), "query($a: UUID!) { announcement(id: $a) { status { id } discussionEnd deadlines { transition } } }",
        json!({"a": repeat})).await;
    assert_eq!(d["announcement"]["status"]["id"], "published", "{d}");
    assert!(
        d["announcement"]["discussionEnd"].is_null(),
        "no discussion: {d}"
    );
    assert!(!d.to_string().contains("end_discussion"), "{d}");
}

// X1–X3 (L5608–5740), decision 0715: the court cancels the lot during bidding; the next step of
// the workflow closes the bidding, so a later offer is refused and the lot completes nothing.
#[tokio::test]
async fn a_cancellation_during_bidding_closes_it_over_http() {
    let app = spawn_sandbox(start()).await;
    let c = cast();
    register_keys(&app, &quorum(&c)).await;
    let (id, pi) = (Uuid::new_v4(), "PI-AUC-3");
    let (first, second) = (supplier(5), supplier(6));
    published(&app, &c, id, pi, false, "16776805-1").await;
    advance_to_deadline(&app, &c, id, "end_discussion").await;
    admitted(&app, &c, id, pi, &[&first, &second]).await;
    let start = instant(&screen(&app, &c.organizer, id).await["auction"]["start"]);
    advance_to(&app, start + Duration::minutes(5)).await;
    accepted(&app, &first, id, "8900000.00").await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $pi: String!, $act: GroundingActInput!) { cancelLots(commandId: $c, announcementId: $a, planItemIds: [$pi], act: $act) { version } }",
        json!({"a": id, "pi": pi, "act": {"body": "court", "bodyName": "Суд города Астаны", "actType": "ruling", "number": "2-77/26", "date": "2026-02-20", "file": file("act")}})).await;
    advance_to(&app, start + Duration::minutes(6)).await;
    assert_eq!(
        code(&offer(&app, &second, id, "8800000.00").await),
        "bidding_closed"
    );
    let cancelled = screen(&app, &c.organizer, id).await;
    assert_eq!(cancelled["status"]["id"], "cancelled", "{cancelled}");
    assert_eq!(cancelled["auction"]["offers"], 1, "{cancelled}");
    assert!(!cancelled["auction"]["endedAt"].is_null(), "{cancelled}");
    assert_eq!(cancelled["auction"]["timeLeftSeconds"], 0, "{cancelled}");
    // The round's planned end passes: nothing completes the cancelled procurement.
    advance_to(&app, start + Duration::minutes(40)).await;
    let later = screen(&app, &c.organizer, id).await;
    assert_eq!(later["status"]["id"], "cancelled", "{later}");
}
