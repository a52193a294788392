//! The demo's people and organisations: valid БИН/ИИН derived from fixed dates and serials.

use serde_json::{Value, json};
use zakup_api::Principal;
use zakup_domain::ident::{Bin, Iin};

use super::{OPERATOR_BIN, OPERATOR_IIN};
use crate::Error;

#[derive(Clone)]
pub(super) struct Person {
    pub(super) user: &'static str,
    pub(super) full_name: &'static str,
    pub(super) iin: String,
    pub(super) org: String,
    pub(super) roles: &'static [&'static str],
}

impl Person {
    pub(super) fn principal(&self) -> Principal {
        Principal {
            user_id: self.user.to_owned(),
            iin: self.iin.clone(),
            org_bin: self.org.clone(),
            roles: self.roles.iter().map(|r| (*r).to_owned()).collect(),
        }
    }

    pub(super) fn json(&self) -> Value {
        json!({"iin": self.iin, "fullName": self.full_name})
    }
}

/// A valid БИН of a resident legal entity registered in `yymm`.
pub(super) fn bin(yymm: &str, serial: u32) -> Result<String, Error> {
    (serial..serial + 20)
        .find_map(|s| Bin::from_prefix(&format!("{yymm}40{s:05}")).ok())
        .map(|b| b.to_string())
        .ok_or_else(|| format!("no БИН near {yymm}/{serial}").into())
}

/// A valid ИИН of a person born on `yymmdd` (century digit 3 or 4: the 20th century).
pub(super) fn iin(yymmdd: &str, century_sex: u8, serial: u32) -> Result<String, Error> {
    (serial..serial + 20)
        .find_map(|s| Iin::from_prefix(&format!("{yymmdd}{century_sex}{s:04}")).ok())
        .map(|i| i.to_string())
        .ok_or_else(|| format!("no ИИН near {yymmdd}/{serial}").into())
}

pub(super) struct People {
    pub(super) organizer: Person,
    pub(super) secretary: Person,
    pub(super) chairman: Person,
    pub(super) member_a: Person,
    pub(super) member_b: Person,
    pub(super) organizer_rep: Person,
    pub(super) customer_rep: Person,
    pub(super) school: Person,
    pub(super) clinic: Person,
    pub(super) suppliers: [Person; 3],
    /// The PPP competition's state partner's head, «Басшы» (decision 0911).
    pub(super) akimat_head: Person,
    /// An employee of the bank that issues the suppliers' guarantees (the token role `bank`,
    /// docs/decisions/0850).
    pub(super) bank: Person,
    pub(super) system: Person,
}

impl People {
    pub(super) fn new() -> Result<People, Error> {
        let organizer_org = bin("0801", 10)?;
        let staff = |user, full_name, birth: &str, sex, serial| -> Result<Person, Error> {
            Ok(Person {
                user,
                full_name,
                iin: iin(birth, sex, serial)?,
                org: organizer_org.clone(),
                roles: &["organizer"],
            })
        };
        let school_org = bin("1005", 200)?;
        let clinic_org = bin("0309", 300)?;
        let supplier =
            |user, full_name, org: String, birth: &str, serial| -> Result<Person, Error> {
                Ok(Person {
                    user,
                    full_name,
                    iin: iin(birth, 3, serial)?,
                    org,
                    roles: &["supplier"],
                })
            };
        Ok(People {
            organizer: staff(
                "aigerim.organizer",
                "Сейтқали Айгерім Нұрланқызы",
                "880412",
                4,
                10,
            )?,
            secretary: staff("dana.secretary", "Омарова Дана Сериковна", "910305", 4, 20)?,
            chairman: staff(
                "yerlan.chairman",
                "Жумабаев Ерлан Маратович",
                "750921",
                3,
                30,
            )?,
            member_a: staff("asel.member", "Ким Асель Викторовна", "840117", 4, 40)?,
            member_b: staff(
                "nurlan.member",
                "Бекмұратов Нұрлан Асқарұлы",
                "790630",
                3,
                50,
            )?,
            organizer_rep: staff("marat.rep", "Исаев Марат Кайратович", "820808", 3, 60)?,
            customer_rep: Person {
                user: "gulnara.customer",
                full_name: "Ахметова Гульнара Ерлановна",
                iin: iin("770214", 4, 70)?,
                org: school_org.clone(),
                roles: &["customer"],
            },
            school: Person {
                user: "school.customer",
                full_name: "КГУ «Школа-лицей №12» акимата города Астаны",
                iin: iin("800505", 4, 80)?,
                org: school_org,
                roles: &["customer"],
            },
            clinic: Person {
                user: "clinic.customer",
                full_name: "ГКП на ПХВ «Городская поликлиника №4»",
                iin: iin("690101", 3, 90)?,
                org: clinic_org,
                roles: &["customer"],
            },
            suppliers: [
                supplier(
                    "alatau.supplier",
                    "ТОО «Алатау Техно»",
                    bin("1502", 400)?,
                    "860303",
                    100,
                )?,
                supplier(
                    "saryarka.supplier",
                    "ТОО «Сарыарқа Сервис»",
                    bin("1203", 500)?,
                    "850909",
                    110,
                )?,
                supplier(
                    "zhetisu.supplier",
                    "ТОО «Жетісу Құрылыс»",
                    bin("0911", 600)?,
                    "830101",
                    120,
                )?,
            ],
            akimat_head: Person {
                user: "akimat.head",
                full_name: "Сәрсенбаев Қайрат Ержанұлы",
                iin: iin("710707", 3, 130)?,
                org: bin("0404", 700)?,
                roles: &["head"],
            },
            bank: Person {
                user: "bank.employee",
                full_name: "АО «Народный Банк» — Утверждающий БГ",
                iin: iin("720202", 3, 130)?,
                org: bin("0707", 700)?,
                roles: &["bank"],
            },
            system: Person {
                user: "system",
                full_name: "Веб-портал государственных закупок",
                iin: OPERATOR_IIN.into(),
                org: OPERATOR_BIN.into(),
                roles: &["system"],
            },
        })
    }

    /// Everyone of the demo, the portal operator included.
    pub(super) fn everyone(&self) -> Vec<&Person> {
        let mut all = vec![
            &self.organizer,
            &self.secretary,
            &self.chairman,
            &self.member_a,
            &self.member_b,
            &self.organizer_rep,
            &self.customer_rep,
            &self.school,
            &self.clinic,
            &self.akimat_head,
            &self.bank,
            &self.system,
        ];
        all.extend(&self.suppliers);
        all
    }

    pub(super) fn commission(&self) -> Value {
        json!({
            "chairman": self.chairman.json(),
            "members": [self.member_a.json(), self.member_b.json()],
            "secretary": self.secretary.json(),
        })
    }
}
