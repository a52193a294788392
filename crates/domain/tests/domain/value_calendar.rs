//! The working-day calendar and the Astana clock (spec 000-A §5 "Working days … a configuration
//! item"; spec 001-004 §9.2 the System clock in Astana time).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use zakup_domain::calendar::{Calendar, CalendarError};

fn cal() -> Calendar {
    Calendar::embedded().expect("the embedded calendar loads")
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn local(s: &str) -> NaiveDateTime {
    s.parse().unwrap()
}

#[test]
fn the_embedded_calendar_covers_2024_to_2027() {
    assert_eq!(cal().years(), (2024, 2027));
}

#[test]
fn public_holidays_are_days_off() {
    let c = cal();
    for day in [
        "2024-01-01",
        "2024-01-02",
        "2024-03-08",
        "2024-03-21",
        "2024-03-22",
        "2024-05-01",
        "2024-05-07",
        "2024-05-09",
        "2024-08-30",
        "2024-10-25",
        "2024-12-16",
        "2025-01-07",
        "2025-05-09",
        "2025-06-06",
        "2025-12-16",
        "2026-03-23",
        "2026-05-27",
        "2026-07-06",
    ] {
        assert_eq!(c.is_working_day(d(day)), Ok(false), "{day}");
    }
    assert_eq!(
        c.is_working_day(d("2025-04-15")),
        Ok(true),
        "an ordinary Tuesday"
    );
    assert_eq!(
        c.is_working_day(d("2025-04-19")),
        Ok(false),
        "an ordinary Saturday"
    );
}

/// Labour Code art. 85: a holiday on a weekend moves the day off to the next working day.
#[test]
fn given_a_holiday_on_a_weekend_then_the_next_working_day_is_off() {
    let c = cal();
    // 8 March 2025 is a Saturday → Monday 10 March off.
    assert_eq!(c.is_working_day(d("2025-03-10")), Ok(false));
    // Nauryz 2025: 22 and 23 March on the weekend → 24 and 25 March off, 26 March works.
    assert_eq!(c.is_working_day(d("2025-03-24")), Ok(false));
    assert_eq!(c.is_working_day(d("2025-03-25")), Ok(false));
    assert_eq!(c.is_working_day(d("2025-03-26")), Ok(true));
    // Capital Day 6 July 2024 (Saturday) → Monday 8 July off.
    assert_eq!(c.is_working_day(d("2024-07-08")), Ok(false));
    // 2026: 30 August is no longer a holiday (new Constitution), so Monday 31 August works.
    assert_eq!(c.is_working_day(d("2026-08-31")), Ok(true));
}

/// Religious holidays are days off without a transfer.
#[test]
fn given_a_religious_holiday_on_a_weekend_then_nothing_moves() {
    let c = cal();
    // Kurban Ait 2024 fell on Sunday 16 June; Monday 17 June stayed a working day.
    assert_eq!(c.is_working_day(d("2024-06-17")), Ok(true));
    // Orthodox Christmas 2024 on Sunday 7 January; Monday 8 January works.
    assert_eq!(c.is_working_day(d("2024-01-08")), Ok(true));
}

#[test]
fn government_transfers_make_weekend_days_working_days() {
    let c = cal();
    // Order of 17.04.2024: Saturday 4 May worked, Wednesday 8 May off.
    assert_eq!(c.is_working_day(d("2024-05-04")), Ok(true));
    assert_eq!(c.is_working_day(d("2024-05-08")), Ok(false));
    // Order of 21.11.2024: Sunday 5 January 2025 worked, Friday 3 January off.
    assert_eq!(c.is_working_day(d("2025-01-05")), Ok(true));
    assert_eq!(c.is_working_day(d("2025-01-03")), Ok(false));
}

/// Seed 000 L1580–1584 «не позднее 5 рабочих дней со дня публикации», counted from the day after
/// (spec 000-A §5.6: published Mon 22.02.2016 → 23, 24, 25, 26, 29 February).
#[test]
fn given_a_publication_before_nauryz_when_adding_5_working_days_then_the_holidays_are_skipped() {
    // Published Thu 20 March 2025: 21 (holiday), 22–23 (weekend), 24–25 (substitutes) are skipped.
    assert_eq!(
        cal().add_working_days(d("2025-03-20"), 5),
        Ok(d("2025-04-01"))
    );
}

/// Spec 001-004 §8.3 example: E = Tue 15.04.2025 → 5th working day after it is Tue 22.04.2025.
#[test]
fn the_example_of_001_004_8_3_counts_16_17_18_21_22_april() {
    assert_eq!(
        cal().add_working_days(d("2025-04-15"), 5),
        Ok(d("2025-04-22"))
    );
}

#[test]
fn adding_zero_working_days_is_the_same_day_even_off() {
    assert_eq!(
        cal().add_working_days(d("2025-03-22"), 0),
        Ok(d("2025-03-22"))
    );
}

#[test]
fn counting_crosses_the_year_and_uses_a_working_sunday() {
    // Fri 27.12.2024 → Mon 30, Tue 31 December; 1–2 January holidays, 3 January transferred,
    // Sat 4 off, Sun 5 January 2025 a working day.
    assert_eq!(
        cal().add_working_days(d("2024-12-27"), 3),
        Ok(d("2025-01-05"))
    );
    assert_eq!(
        cal().working_days_between(d("2024-12-27"), d("2025-01-05")),
        Ok(3)
    );
}

#[test]
fn working_days_between_is_the_inverse_of_add_working_days() {
    let c = cal();
    let mut day = d("2024-01-01");
    while day < d("2027-11-01") {
        for n in [0, 1, 5, 10, 15] {
            let end = c.add_working_days(day, n).unwrap();
            assert_eq!(c.working_days_between(day, end), Ok(n), "{day} + {n}");
        }
        day += TimeDelta::days(13);
    }
    assert_eq!(
        c.working_days_between(d("2025-05-02"), d("2025-05-01")),
        Err(CalendarError::ReversedRange {
            from: d("2025-05-02"),
            to: d("2025-05-01")
        })
    );
}

#[test]
fn first_working_day_from_keeps_a_working_day_and_skips_days_off() {
    let c = cal();
    assert_eq!(
        c.first_working_day_from(d("2025-04-15")),
        Ok(d("2025-04-15"))
    );
    assert_eq!(
        c.first_working_day_from(d("2025-03-21")),
        Ok(d("2025-03-26"))
    );
}

#[test]
fn dates_outside_the_data_are_an_error_never_a_guess() {
    let c = cal();
    let out = |date: &str| CalendarError::DateOutOfRange {
        date: d(date),
        first_year: 2024,
        last_year: 2027,
    };
    assert_eq!(c.is_working_day(d("2023-12-29")), Err(out("2023-12-29")));
    assert_eq!(c.is_working_day(d("2028-01-03")), Err(out("2028-01-03")));
    // Counting runs off the end of the data.
    assert_eq!(
        c.add_working_days(d("2027-12-30"), 3),
        Err(out("2028-01-01"))
    );
    assert!(
        c.working_days_between(d("2027-12-01"), d("2028-01-10"))
            .is_err()
    );
    assert!(c.end_of_local_day(d("2028-01-01")).is_err());
    assert!(c.to_local_date(utc("2023-12-31T17:59:59Z")).is_err());
    assert!(
        c.to_local_date(utc("2027-12-31T19:00:00Z")).is_err(),
        "already 2028 in Astana"
    );
}

/// Spec 001-004 §9.2: one clock, Astana time. UTC+6 until 1 March 2024 00:00, UTC+5 since.
#[test]
fn the_astana_clock_follows_the_2024_switch_to_utc_plus_5() {
    let c = cal();
    assert_eq!(
        c.to_local_date(utc("2023-12-31T18:00:00Z")),
        Ok(d("2024-01-01"))
    );
    assert_eq!(
        c.to_local(utc("2024-02-29T17:30:00Z")),
        Ok(local("2024-02-29T23:30:00"))
    );
    // 18:00Z is 00:00 of 1 March at +6, turned back to 23:00 of 29 February at +5.
    assert_eq!(
        c.to_local(utc("2024-02-29T18:30:00Z")),
        Ok(local("2024-02-29T23:30:00"))
    );
    assert_eq!(
        c.to_local(utc("2024-02-29T19:00:00Z")),
        Ok(local("2024-03-01T00:00:00"))
    );
    assert_eq!(
        c.to_local_date(utc("2025-06-01T19:00:00Z")),
        Ok(d("2025-06-02"))
    );
    assert_eq!(
        c.to_local_date(utc("2025-06-01T18:59:59Z")),
        Ok(d("2025-06-01"))
    );
    // A local time read twice maps to the earlier instant.
    assert_eq!(
        c.to_utc(local("2024-02-29T23:30:00")),
        Ok(utc("2024-02-29T17:30:00Z"))
    );
    assert_eq!(
        c.to_utc(local("2025-04-16T18:00:00")),
        Ok(utc("2025-04-16T13:00:00Z"))
    );
}

/// The end of a day-counted period is 24:00 Astana time of its last day
/// (docs/decisions/0104-deadline-end-of-day.md).
#[test]
fn the_end_of_a_local_day_is_its_24_00_in_astana() {
    let c = cal();
    assert_eq!(
        c.end_of_local_day(d("2025-04-16")),
        Ok(utc("2025-04-16T19:00:00Z"))
    );
    assert_eq!(
        c.end_of_local_day(d("2024-02-28")),
        Ok(utc("2024-02-28T18:00:00Z"))
    );
    // 29 February 2024 lasted 25 hours.
    assert_eq!(
        c.end_of_local_day(d("2024-02-29")),
        Ok(utc("2024-02-29T19:00:00Z"))
    );
    assert_eq!(
        c.end_of_local_day(d("2027-12-31")),
        Ok(utc("2027-12-31T19:00:00Z"))
    );
    let end = c.end_of_local_day(d("2025-04-16")).unwrap();
    assert_eq!(
        c.to_local_date(end - TimeDelta::seconds(1)),
        Ok(d("2025-04-16"))
    );
    assert_eq!(c.to_local_date(end), Ok(d("2025-04-17")));
}

/// Labour Code art. 85, checked on the data: every non-religious holiday on a weekend has a
/// substitute day off on a weekday.
#[test]
fn the_data_has_a_substitute_for_every_secular_holiday_on_a_weekend() {
    let json: serde_json::Value =
        serde_json::from_str(include_str!("../../data/kz-calendar.json")).unwrap();
    for (year, entry) in json["years"].as_object().unwrap() {
        let days = entry["days_off"].as_array().unwrap();
        let kind = |k: &'static str| days.iter().filter(move |e| e["kind"] == k);
        let weekend_secular = kind("holiday")
            .filter(|e| {
                let name = e["name"].as_str().unwrap();
                !name.contains("Рождество") && !name.contains("Курбан")
            })
            .filter(|e| {
                let date: NaiveDate = e["date"].as_str().unwrap().parse().unwrap();
                matches!(
                    chrono::Datelike::weekday(&date),
                    chrono::Weekday::Sat | chrono::Weekday::Sun
                )
            })
            .count();
        assert_eq!(kind("substitute").count(), weekend_secular, "{year}");
    }
}

fn minimal(years: &str) -> String {
    format!(
        r#"{{"description": "test", "utc_offsets": [{{"from_utc": "2027-12-31T19:00:00Z", "offset_minutes": 300, "source": "t"}}], "years": {years}}}"#
    )
}

#[test]
fn an_operator_extends_the_calendar_with_a_json_file() {
    let c = Calendar::from_json(&minimal(
        r#"{"2028": {"source": "t", "days_off": [{"date": "2028-01-03", "kind": "substitute", "name": "Новый год"}],
                      "working_days": [{"date": "2028-01-08", "kind": "transferred_working_day", "name": "t", "uncertain": true}]}}"#,
    ))
    .unwrap();
    assert_eq!(c.years(), (2028, 2028));
    assert_eq!(c.is_working_day(d("2028-01-03")), Ok(false));
    assert_eq!(c.is_working_day(d("2028-01-08")), Ok(true));
    assert_eq!(c.is_working_day(d("2028-01-04")), Ok(true));
    assert_eq!(
        c.to_local_date(utc("2028-06-01T19:00:00Z")),
        Ok(d("2028-06-02"))
    );
}

#[test]
fn inconsistent_calendar_data_is_refused() {
    let year = |body: &str| minimal(&format!(r#"{{"2028": {{"source": "t", {body}}}}}"#));
    let bad = [
        "not json".to_owned(),
        minimal("{}"),
        minimal(
            r#"{"2028": {"source": "t", "days_off": [], "working_days": []}, "2030": {"source": "t", "days_off": [], "working_days": []}}"#,
        ),
        year(
            r#""days_off": [{"date": "2029-01-01", "kind": "holiday", "name": "t"}], "working_days": []"#,
        ),
        year(
            r#""days_off": [], "working_days": [{"date": "2028-01-04", "kind": "transferred_working_day", "name": "a Tuesday"}]"#,
        ),
        year(
            r#""days_off": [], "working_days": [{"date": "2028-01-08", "kind": "holiday", "name": "t"}]"#,
        ),
        year(
            r#""days_off": [{"date": "2028-01-04", "kind": "transferred_working_day", "name": "t"}], "working_days": []"#,
        ),
        year(
            r#""days_off": [{"date": "2028-01-04", "kind": "holiday", "name": "t", "colour": "red"}], "working_days": []"#,
        ),
        year(
            r#""days_off": [{"date": "2028-13-01", "kind": "holiday", "name": "t"}], "working_days": []"#,
        ),
    ];
    for json in bad {
        assert!(
            matches!(Calendar::from_json(&json), Err(CalendarError::Data(_))),
            "{json}"
        );
    }
}

/// Seed 000 L8623–8625: an acceptance start must be «рабочим днем и в рабочее время (до 18.00
/// включительно)»; L6886–6890: the next working day opens at 9:00.
#[test]
fn working_time_is_09_00_to_18_00_inclusive_on_working_days() {
    let c = cal();
    for (instant, expected, what) in [
        ("2025-04-15T04:00:00Z", true, "09:00 Astana"),
        ("2025-04-15T03:59:59Z", false, "08:59:59"),
        ("2025-04-15T13:00:00Z", true, "18:00 inclusive"),
        ("2025-04-15T13:00:01Z", false, "18:00:01"),
        ("2025-04-19T05:00:00Z", false, "a Saturday"),
        ("2025-03-24T05:00:00Z", false, "a substitute day off"),
        ("2025-01-05T05:00:00Z", true, "a working Sunday"),
        (
            "2024-02-28T03:00:00Z",
            true,
            "09:00 before the 2024 switch was 03:00Z",
        ),
    ] {
        assert_eq!(c.is_working_time(utc(instant)), Ok(expected), "{what}");
    }
}
