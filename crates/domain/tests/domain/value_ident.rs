//! БИН/ИИН: participants and users are identified by «ИИН/БИН» from the certificate
//! (seed 002 L2116–2124, L3251; spec 002-003 §"BIN").

use chrono::NaiveDate;
use zakup_domain::ident::{Bin, EntityAttribute, EntityType, IdError, Iin, ParticipantId};

#[test]
fn published_bin_and_iin_are_accepted() {
    for bin in [
        "940140000385",
        "990140004654",
        "081140000436",
        "171040021791",
    ] {
        let parsed: Bin = bin.parse().unwrap_or_else(|e| panic!("{bin}: {e}"));
        assert_eq!(parsed.to_string(), bin);
    }
    for iin in ["791028302728", "061211600012"] {
        let parsed: Iin = iin.parse().unwrap_or_else(|e| panic!("{iin}: {e}"));
        assert_eq!(parsed.to_string(), iin);
    }
}

#[test]
fn a_wrong_check_digit_is_refused() {
    assert_eq!(
        "940140000386".parse::<Bin>(),
        Err(IdError::CheckDigit {
            expected: 5,
            found: 6
        })
    );
    assert_eq!(
        "791028302729".parse::<Iin>(),
        Err(IdError::CheckDigit {
            expected: 8,
            found: 9
        })
    );
}

#[test]
fn garbage_is_refused_without_panicking() {
    for bad in [
        "",
        "94014000038",
        "9401400003850",
        "94014000038X",
        " 940140000385",
        "９４０１４００００３８５",
    ] {
        assert!(
            matches!(bad.parse::<Bin>(), Err(IdError::NotDigits(_))),
            "{bad:?}"
        );
        assert!(
            matches!(bad.parse::<Iin>(), Err(IdError::NotDigits(_))),
            "{bad:?}"
        );
    }
}

#[test]
fn iin_structure_birth_date_and_century() {
    let iin: Iin = "791028302728".parse().unwrap();
    assert_eq!(iin.birth_date(), NaiveDate::from_ymd_opt(1979, 10, 28));
    let iin: Iin = "061211600012".parse().unwrap();
    assert_eq!(iin.birth_date(), NaiveDate::from_ymd_opt(2006, 12, 11));

    // Digit 7 beyond 6 is no century/sex code.
    assert_eq!(Iin::from_prefix("79102870272"), Err(IdError::CenturySex(7)));
    // 31 April and 29 February 1900 (not a leap year) are no dates.
    assert_eq!(Iin::from_prefix("79043130272"), Err(IdError::BirthDate));
    assert_eq!(Iin::from_prefix("00022930272"), Err(IdError::BirthDate));
    assert!(Iin::from_prefix("00022950272").is_ok(), "29.02.2000 exists");
    // Century unknown (digit 7 = 0): any day of the year that some leap year has.
    let iin = Iin::from_prefix("00022900272").unwrap();
    assert_eq!(iin.birth_date(), None);
    assert_eq!(Iin::from_prefix("00023000272"), Err(IdError::BirthDate));
}

#[test]
fn bin_structure_entity_type_and_attribute() {
    let bin: Bin = "940140000385".parse().unwrap();
    assert_eq!(bin.entity_type(), EntityType::ResidentLegalEntity);
    assert_eq!(bin.attribute(), EntityAttribute::HeadOffice);
    let branch = Bin::from_prefix("24035100001").unwrap();
    assert_eq!(branch.entity_type(), EntityType::NonResidentLegalEntity);
    assert_eq!(branch.attribute(), EntityAttribute::Branch);
    let farm = Bin::from_prefix("24036300001").unwrap();
    assert_eq!(farm.entity_type(), EntityType::JointEntrepreneurship);
    assert_eq!(farm.attribute(), EntityAttribute::JointPeasantFarm);

    assert_eq!(
        Bin::from_prefix("24133000001"),
        Err(IdError::RegistrationMonth)
    );
    assert_eq!(
        Bin::from_prefix("24003000001"),
        Err(IdError::RegistrationMonth)
    );
    assert_eq!(Bin::from_prefix("24033000001"), Err(IdError::EntityType(3)));
    assert_eq!(Bin::from_prefix("24037000001"), Err(IdError::EntityType(7)));
    assert_eq!(Bin::from_prefix("24034400001"), Err(IdError::Attribute(4)));
}

#[test]
fn the_generator_computes_the_check_digit_or_says_there_is_none() {
    assert_eq!(
        Bin::from_prefix("94014000038").unwrap().to_string(),
        "940140000385"
    );
    // Remainder 10 with the first weights, 4 with the second.
    assert_eq!(
        Iin::from_prefix("83071730010").unwrap().to_string(),
        "830717300104"
    );
    // Remainder 10 with both weight sequences: no number has these 11 digits.
    assert_eq!(Bin::from_prefix("94014000096"), Err(IdError::NoCheckDigit));
    assert_eq!(Iin::from_prefix("83071730013"), Err(IdError::NoCheckDigit));
    assert!(matches!(
        Bin::from_prefix("9401400003"),
        Err(IdError::NotDigits(_))
    ));
}

#[test]
fn participant_id_tells_bin_from_iin_by_digit_5() {
    assert!(matches!("940140000385".parse(), Ok(ParticipantId::Bin(_))));
    assert!(matches!("791028302728".parse(), Ok(ParticipantId::Iin(_))));
    assert!("940140000386".parse::<ParticipantId>().is_err());
    assert!("791028902728".parse::<ParticipantId>().is_err());
}

#[test]
fn serde_is_the_plain_string_and_a_bad_number_in_a_payload_is_refused() {
    let bin: Bin = "940140000385".parse().unwrap();
    assert_eq!(serde_json::to_string(&bin).unwrap(), r#""940140000385""#);
    assert_eq!(
        serde_json::from_str::<Bin>(r#""940140000385""#).unwrap(),
        bin
    );

    let err = serde_json::from_str::<Bin>(r#""940140000386""#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid_bin"), "{err}");
    let err = serde_json::from_str::<Iin>(r#""791028302729""#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid_iin"), "{err}");
    assert!(
        serde_json::from_str::<Bin>("940140000385").is_err(),
        "a number, not a string"
    );

    let p: ParticipantId = serde_json::from_str(r#""791028302728""#).unwrap();
    assert_eq!(serde_json::to_string(&p).unwrap(), r#""791028302728""#);
}
