//! Announcement and lot numbers (docs/decisions/0103-announcement-and-lot-numbers.md).

use zakup_domain::numbering::{AnnouncementNumber, LotNumber, MethodCode};

/// Seed 000 L1746–1760: after an "amend" decision the system creates the draft «с индексом 2»;
/// the original «с индексом 1» becomes «Изменена документация» (L1754). Spec 000-A §9.1.
#[test]
fn given_a_documentation_change_when_the_copy_is_made_then_it_keeps_the_serial_with_index_2() {
    let original = AnnouncementNumber::first(16776705).unwrap();
    assert_eq!(original.to_string(), "16776705-1");
    let copy = original.next_index().unwrap();
    assert_eq!(copy.to_string(), "16776705-2");
    assert_eq!((copy.serial(), copy.index()), (16776705, 2));
    assert!(
        AnnouncementNumber::new(1, u32::MAX)
            .unwrap()
            .next_index()
            .is_err()
    );
}

#[test]
fn announcement_numbers_parse_and_refuse_other_shapes() {
    let n: AnnouncementNumber = "16776705-1".parse().unwrap();
    assert_eq!(n, AnnouncementNumber::new(16776705, 1).unwrap());
    for bad in [
        "",
        "16776705",
        "16776705-",
        "-1",
        "16776705-0",
        "016776705-1",
        "16776705-01",
        "16776705-1-2",
        "1234567890123-1",
        "16776705-ЗЦП1",
        "16776705 -1",
        "16776705–1",
    ] {
        assert!(bad.parse::<AnnouncementNumber>().is_err(), "{bad:?}");
    }
    assert!(AnnouncementNumber::new(0, 1).is_err());
    assert!(AnnouncementNumber::new(1, 0).is_err());
    assert!(AnnouncementNumber::new(1_000_000_000_000, 1).is_err());
}

#[test]
fn lot_numbers_seen_on_the_portal_parse_and_print_unchanged() {
    for (text, method) in [
        ("87491617-ЗЦП1", MethodCode::zcp()),
        ("86099233-ОК1", MethodCode::ok()),
        ("74666464-АУК1", MethodCode::auk()),
        ("4809097-ИОИ1", MethodCode::ioi()),
        ("86883793-ЗЦП5", MethodCode::zcp()),
    ] {
        let lot: LotNumber = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(lot.to_string(), text);
        assert_eq!(lot.method(), &method);
    }
    let lot = LotNumber::new(87491617, MethodCode::zcp(), 2).unwrap();
    assert_eq!(lot.to_string(), "87491617-ЗЦП2");
    assert_eq!((lot.serial(), lot.sequence()), (87491617, 2));
}

#[test]
fn lot_numbers_of_other_shapes_are_refused() {
    for bad in [
        "",
        "87491617",
        "87491617-ЗЦП",
        "87491617-1",
        "87491617-ЗЦП0",
        "87491617-зцп1",
        "87491617-ZCP1",
        "87491617-ЗЦП1а",
        "42292333-ОЛ-ЗЦП1",
        "087491617-ЗЦП1",
        "87491617-ЗЦПЗЦПЗ1",
        "87491617-ЗЦП01",
    ] {
        assert!(bad.parse::<LotNumber>().is_err(), "{bad:?}");
    }
    assert!(LotNumber::new(0, MethodCode::ok(), 1).is_err());
    assert!(LotNumber::new(1, MethodCode::ok(), 0).is_err());
    assert!(
        MethodCode::new("ЖТ").is_some(),
        "Kazakh letters are Cyrillic capitals too"
    );
    assert!(MethodCode::new("").is_none());
    assert!(MethodCode::new("ok").is_none());
}

#[test]
fn serde_is_the_string_and_validates() {
    let n: AnnouncementNumber = "16776705-2".parse().unwrap();
    assert_eq!(serde_json::to_string(&n).unwrap(), r#""16776705-2""#);
    assert_eq!(
        serde_json::from_str::<AnnouncementNumber>(r#""16776705-2""#).unwrap(),
        n
    );
    let err = serde_json::from_str::<AnnouncementNumber>(r#""16776705""#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid_announcement_number"), "{err}");

    let lot: LotNumber = "74666464-АУК1".parse().unwrap();
    assert_eq!(serde_json::to_string(&lot).unwrap(), r#""74666464-АУК1""#);
    assert_eq!(
        serde_json::from_str::<LotNumber>(r#""74666464-АУК1""#).unwrap(),
        lot
    );
    let err = serde_json::from_str::<LotNumber>(r#""74666464""#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid_lot_number"), "{err}");

    assert_eq!(
        serde_json::to_string(&MethodCode::zcp()).unwrap(),
        r#""ЗЦП""#
    );
    assert_eq!(
        serde_json::from_str::<MethodCode>(r#""ОК""#).unwrap(),
        MethodCode::ok()
    );
    assert!(
        serde_json::from_str::<MethodCode>(r#""OK""#).is_err(),
        "Latin letters"
    );
}
