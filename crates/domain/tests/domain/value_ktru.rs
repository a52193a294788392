//! КТРУ code format `NNNNNN.NNN.NNNNNN` (docs/decisions/0102-ktru-code-format.md; seed 000 L65).

use zakup_domain::ktru::KtruCode;

#[test]
fn codes_published_by_the_portal_parse_and_print_unchanged() {
    for code in [
        "262013.000.000011",
        "331312.100.000000",
        "410040.300.000009",
    ] {
        let parsed: KtruCode = code.parse().unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(parsed.to_string(), code);
    }
    let code: KtruCode = "262013.000.000011".parse().unwrap();
    assert_eq!(code.class(), "262013");
    assert_eq!(code.groups(), ("262013", "000", "000011"));
}

#[test]
fn other_shapes_are_refused() {
    for bad in [
        "",
        "262013000000011",
        "262013.000.00001",
        "262013.000.0000111",
        "26201.3000.000011",
        "262013.000.000011.",
        "26.20.13.000-00000011",
        "32.50.13.190-00007686",
        "262013.ООО.000011",
        "262013.000.00001a",
        " 262013.000.000011",
    ] {
        assert!(bad.parse::<KtruCode>().is_err(), "{bad:?}");
    }
}

#[test]
fn serde_is_the_string_and_validates() {
    let code: KtruCode = "262013.000.000011".parse().unwrap();
    assert_eq!(
        serde_json::to_string(&code).unwrap(),
        r#""262013.000.000011""#
    );
    assert_eq!(
        serde_json::from_str::<KtruCode>(r#""262013.000.000011""#).unwrap(),
        code
    );
    let err = serde_json::from_str::<KtruCode>(r#""262013""#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid_ktru_code"), "{err}");
}
