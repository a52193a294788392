//! Bad input yields a typed error, never a panic: every parser and every serde entry point is fed
//! many deterministic pseudo-random strings made of the characters that matter to them.

use zakup_domain::calendar::Calendar;
use zakup_domain::ident::{Bin, Iin, ParticipantId};
use zakup_domain::ktru::KtruCode;
use zakup_domain::money::Money;
use zakup_domain::numbering::{AnnouncementNumber, LotNumber};

const ALPHABET: &[&str] = &[
    "0",
    "1",
    "4",
    "5",
    "9",
    "-",
    ".",
    ",",
    "+",
    "e",
    " ",
    "ЗЦП",
    "ОК",
    "Ё",
    "é",
    "٣",
    "\u{0}",
    "99999999999",
];

/// A linear congruential generator: reproducible, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }

    fn string(&mut self) -> String {
        let len = self.next() % 20;
        (0..len)
            .map(|_| ALPHABET[self.next() % ALPHABET.len()])
            .collect()
    }
}

fn parse_everything(s: &str) {
    let _ = s.parse::<Money>();
    let _ = s.parse::<Bin>();
    let _ = s.parse::<Iin>();
    let _ = s.parse::<ParticipantId>();
    let _ = s.parse::<KtruCode>();
    let _ = s.parse::<AnnouncementNumber>();
    let _ = s.parse::<LotNumber>();
    let json = serde_json::Value::String(s.to_owned());
    let _ = serde_json::from_value::<Money>(json.clone());
    let _ = serde_json::from_value::<Bin>(json.clone());
    let _ = serde_json::from_value::<LotNumber>(json);
    let _ = Calendar::from_json(s);
    if s.len() == 11 {
        let _ = Bin::from_prefix(s);
        let _ = Iin::from_prefix(s);
    }
}

#[test]
fn random_strings_never_panic_a_parser() {
    let mut rng = Lcg(2026);
    for _ in 0..20_000 {
        parse_everything(&rng.string());
    }
}

#[test]
fn every_11_digit_prefix_shape_is_answered() {
    let mut rng = Lcg(7);
    for _ in 0..20_000 {
        let prefix: String = (0..11)
            .map(|_| char::from(b'0' + (rng.next() % 10) as u8))
            .collect();
        // Either a number whose check digit verifies, or a typed refusal.
        if let Ok(bin) = Bin::from_prefix(&prefix) {
            assert_eq!(bin.to_string().parse::<Bin>(), Ok(bin));
        }
        if let Ok(iin) = Iin::from_prefix(&prefix) {
            assert_eq!(iin.to_string().parse::<Iin>(), Ok(iin));
        }
    }
}

#[test]
fn extreme_dates_and_instants_are_errors() {
    let c = Calendar::embedded().unwrap();
    assert!(c.is_working_day(chrono::NaiveDate::MAX).is_err());
    assert!(
        c.add_working_days(chrono::NaiveDate::MIN, u32::MAX)
            .is_err()
    );
    assert!(
        c.to_local_date(chrono::DateTime::<chrono::Utc>::MAX_UTC)
            .is_err()
    );
    assert!(
        c.to_local_date(chrono::DateTime::<chrono::Utc>::MIN_UTC)
            .is_err()
    );
    assert!(c.to_utc(chrono::NaiveDateTime::MAX).is_err());
    assert!(c.end_of_local_day(chrono::NaiveDate::MAX).is_err());
}
