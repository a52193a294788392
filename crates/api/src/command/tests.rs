//! The typed inputs mean what the event schemas' JSON meant: each reads into the domain value the
//! domain's serde rules read from the same data in snake_case, and what cannot be read is refused
//! with `invalid_input` naming the field, before anything is written.

use async_graphql::{InputType, Request, Variables};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::commission::{ChangeDecisionInput, CommissionInput, CommissionQueryInput};
use super::discounts::DiscountEntryInput;
use super::drafting::{
    ContractDraftInput, HeaderInput, RepresentativesInput, TenderDocumentationInput,
};
use super::input::{GroundingActInput, IntoDomain, PersonInput};
use super::lots::{LotSourceInput, LotTermsInput, TechnicalSpecificationInput};
use super::voting::BallotInput;

fn camel_case_keys(value: Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| {
                    let mut parts = k.split('_');
                    let mut name = parts.next().unwrap_or_default().to_owned();
                    for part in parts {
                        name.push_str(&part[..1].to_uppercase());
                        name.push_str(&part[1..]);
                    }
                    (name, camel_case_keys(v))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(camel_case_keys).collect()),
        other => other,
    }
}

/// Reads `schema_json` (the event schema's shape) through the input `I` and through the domain's
/// serde, and asserts both give the same value.
fn same_meaning<I, D>(schema_json: Value)
where
    I: InputType + IntoDomain<Domain = D>,
    D: DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let expected: D = serde_json::from_value(schema_json.clone()).expect("the domain reads it");
    let graphql = async_graphql::Value::from_json(camel_case_keys(schema_json)).expect("a value");
    let input = I::parse(Some(graphql))
        .unwrap_or_else(|e| panic!("{}", e.into_server_error(Default::default()).message));
    let read = input
        .into_domain("x")
        .unwrap_or_else(|e| panic!("{}", e.message));
    assert_eq!(read, expected);
}

fn file(name: &str) -> Value {
    json!({"file_id": format!("file-{name}"), "name": format!("{name}.pdf")})
}

fn person(iin: &str) -> Value {
    json!({"iin": iin, "full_name": "Омарова Дана"})
}

const IIN: &str = "910305400202";
const BIN: &str = "080140000106";

#[test]
fn drafting_inputs_read_as_the_event_schemas() {
    same_meaning::<HeaderInput, _>(
        json!({"method": "open_tender", "procurement_type": "repeat",
        "subject_type": "service", "name_kk": "Қызмет", "name_ru": "Услуга",
        "among_disabled_organizations": true, "single_organizer": false}),
    );
    same_meaning::<RepresentativesInput, _>(json!({"application_validity_days": 60,
        "organizer_representative": person(IIN), "customer_representative": person(IIN),
        "organizer_bank_account": "KZ1", "security_bank_account": "KZ2", "customer_bank_account": "KZ3",
        "approver": {"full_name": "Тлеубаев Серик", "order_number": "5", "order_date": "2026-01-30"}}));
    same_meaning::<TenderDocumentationInput, _>(json!({"documents": [{"name": "Приложение 8",
        "obligatory_for_supplier": true}], "licences": ["L"], "permits": [],
        "signed_documentation": file("d"), "signed_appendix1": file("a")}));
    same_meaning::<ContractDraftInput, _>(json!({"template": "typical-goods",
        "added_clauses": [{"name_kk": "Тармақ", "name_ru": "Пункт"}], "signed_document": file("c")}));
}

#[test]
fn lot_inputs_read_as_the_event_schemas_for_every_variant() {
    same_meaning::<LotSourceInput, _>(json!({"plan_item_id": "PI-1", "lot_number": "1-ОК1",
        "customer_bin": BIN, "name_ru": "Ноутбук", "name_kk": "Ноутбук", "amount": "42000000.00",
        "ktru": "262011.000.000001"}));
    same_meaning::<LotTermsInput, _>(json!({"subject": "goods", "delivery_conditions": "DDP"}));
    same_meaning::<LotTermsInput, _>(json!({"subject": "service", "engineering": true,
        "dumping_amount": "100.00"}));
    same_meaning::<LotTermsInput, _>(json!({"subject": "work",
        "dumping": {"attribute": "work_without_dumping"}}));
    same_meaning::<LotTermsInput, _>(json!({"subject": "work", "dumping": {
        "attribute": "work_with_dumping", "expertise": false,
        "kind": "work_developing_feasibility_or_design", "dumping_amount": "5.00"}}));
    same_meaning::<TechnicalSpecificationInput, _>(json!({"form": "template",
        "description_kk": "a", "description_ru": "b", "characteristics_kk": "c",
        "characteristics_ru": "d", "signed_document": file("s")}));
    same_meaning::<TechnicalSpecificationInput, _>(json!({"form": "files", "files": [file("s")]}));
}

#[test]
fn commission_voting_and_act_inputs_read_as_the_event_schemas() {
    same_meaning::<CommissionInput, _>(json!({"chairman": person(IIN), "members": [person(IIN)],
        "secretary": person(IIN)}));
    same_meaning::<ChangeDecisionInput, _>(
        json!({"number": "7", "date": "2026-02-20", "file": file("d")}),
    );
    same_meaning::<CommissionQueryInput, _>(json!({"plan_item_id": "PI-1",
        "recipient": {"sent_to": "other_party", "name_kk": "Ұйым", "name_ru": "Организация"},
        "info_kk": "a", "info_ru": "b", "sent_on": "2026-02-20", "answer_kk": null, "answer_ru": "c"}));
    same_meaning::<CommissionQueryInput, _>(json!({"plan_item_id": "PI-1",
        "recipient": {"sent_to": "supplier", "application_id": "3f1b8c6e-0d5c-4a44-9a43-2f7c5d0c1e11"},
        "info_kk": "a", "info_ru": "b", "sent_on": "2026-02-20"}));
    same_meaning::<BallotInput, _>(json!({
        "common_article6": {"verdict": "rejected_no_resubmission", "subparagraphs": ["3)"], "reason": "r"},
        "lots": [{"plan_item_id": "PI-1",
            "documentation": {"verdict": "rejected", "documents": ["Приложение 8"], "reason": "r",
                "security_no_resubmission": true},
            "qualification": {"verdict": "rejected", "documents": ["Приложение 6"], "reason": "r"},
            "article6": {"verdict": "admitted"}, "file": file("f")}]}));
    same_meaning::<GroundingActInput, _>(json!({"body": "state_financial_control",
        "body_name": "ДВГА", "act_type": "resolution", "number": "2-1", "date": "2026-02-20",
        "file": file("act")}));
    same_meaning::<PersonInput, _>(person(IIN));
}

#[test]
fn a_discount_entry_reads_its_percentages_as_decimals() {
    let id = "3f1b8c6e-0d5c-4a44-9a43-2f7c5d0c1e11";
    let form = json!({"experienceYears": 3, "experienceMonths": 0, "experiencePct": "1.5",
        "qmsPct": "0", "emsPct": "0", "sechpPct": "0", "voluntaryConformityPct": "0",
        "functionalPct": "0", "technicalPct": "0", "qualityPct": "0", "operationalPct": "0"});
    let graphql = async_graphql::Value::from_json(json!({"applicationId": id, "form": form}))
        .expect("a value");
    let entry = DiscountEntryInput::parse(Some(graphql)).expect("an entry");
    let (application, read) = entry.into_domain("entries[0]").expect("read");
    assert_eq!(application.0.to_string(), id);
    assert_eq!(read.experience_pct, Some("1.5".parse().expect("decimal")));
    assert_eq!(read.experience_years, Some(3));
}

/// Runs `query` on the schema without a database: the inputs are read before the engine is
/// reached, so a refusal here proves nothing was written.
async fn refusal(query: &str, variables: Value) -> (String, String) {
    let response = crate::builder()
        .finish()
        .execute(Request::new(query).variables(Variables::from_json(variables)))
        .await;
    let error = response.errors.first().expect("refused");
    let code = error
        .extensions
        .as_ref()
        .and_then(|e| e.get("code"))
        .map(|c| c.to_string())
        .unwrap_or_default();
    (code.trim_matches('"').to_owned(), error.message.clone())
}

const ADD_LOTS: &str = "mutation($a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $a, announcementId: $a, lots: $l) { version } }";
const SET_TERMS: &str = "mutation($a: UUID!, $t: LotTermsInput!) { setLotTerms(commandId: $a, announcementId: $a, planItemId: \"PI-1\", terms: $t) { version } }";

fn lot(customer_bin: &str, amount: &str) -> Value {
    json!({"planItemId": "PI-1", "lotNumber": "1-ОК1", "customerBin": customer_bin,
        "nameRu": "Ноутбук", "nameKk": "Ноутбук", "amount": amount})
}

/// Issue 24 item 3: a value the domain refuses inside an input keeps the domain's code, as the
/// same value given as an argument does, and the message names where it sits.
#[tokio::test]
async fn a_value_the_domain_refuses_inside_an_input_keeps_its_code_naming_where_it_sits() {
    let a = "3f1b8c6e-0d5c-4a44-9a43-2f7c5d0c1e11";
    let (code, message) = refusal(
        ADD_LOTS,
        json!({"a": a, "l": [lot(BIN, "1.00"), lot("123456789012", "1.00")]}),
    )
    .await;
    assert_eq!(code, "invalid_bin");
    assert!(message.contains("lots[1].customerBin"), "{message}");
    let (code, message) = refusal(ADD_LOTS, json!({"a": a, "l": [lot(BIN, "-5")]})).await;
    assert_eq!(code, "money_negative");
    assert!(message.contains("lots[0].amount"), "{message}");
}

#[tokio::test]
async fn a_tagged_input_takes_the_fields_of_its_variant_only() {
    let a = "3f1b8c6e-0d5c-4a44-9a43-2f7c5d0c1e11";
    let (code, message) = refusal(SET_TERMS, json!({"a": a, "t": {"subject": "goods"}})).await;
    assert_eq!(code, "invalid_input");
    assert!(message.contains("terms.deliveryConditions"), "{message}");
    let mixed = json!({"subject": "goods", "deliveryConditions": "DDP", "engineering": true});
    let (code, message) = refusal(SET_TERMS, json!({"a": a, "t": mixed})).await;
    assert_eq!(code, "invalid_input");
    assert!(message.contains("terms.engineering"), "{message}");
}

#[tokio::test]
async fn an_unknown_enum_value_or_a_number_for_money_is_refused_with_invalid_input() {
    let a = "3f1b8c6e-0d5c-4a44-9a43-2f7c5d0c1e11";
    let (code, _) = refusal(SET_TERMS, json!({"a": a, "t": {"subject": "sideways"}})).await;
    assert_eq!(code, "invalid_input");
    let (code, _) = refusal(ADD_LOTS, json!({"a": a, "l": [lot(BIN, "1.00")
        .as_object().map(|o| { let mut o = o.clone(); o.insert("amount".into(), json!(1.5)); o })]})).await;
    assert_eq!(code, "invalid_input");
}
