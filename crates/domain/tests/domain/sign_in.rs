//! Sign-in with the registered key and its lockout (spec 002 §4.A.1 A4–A5, §8.3, acceptance
//! scenario S6; decision 0824).

use crate::world;

use chrono::{DateTime, Duration, Utc};
use world::*;
use zakup_domain::actor::Actor;
use zakup_domain::sign_in::{SignIn, SignInCommand as S, SignInEvent};

fn user() -> Actor {
    Actor {
        roles: vec![],
        ..organizer()
    }
}

fn run(
    state: &mut SignIn,
    at: DateTime<Utc>,
    command: S,
) -> Result<Vec<SignInEvent>, &'static str> {
    let mut ctx = World::new().ctx(&user());
    ctx.now = at;
    let events = state.decide(command, &ctx).map_err(|e| e.code)?;
    for e in &events {
        state.apply(e);
    }
    Ok(events)
}

/// One attempt at `at`: a new challenge, then its signature, right or wrong.
fn attempt(state: &mut SignIn, at: DateTime<Utc>, right: bool) -> Result<bool, &'static str> {
    let nonce = format!("nonce-{}", at.timestamp_micros());
    run(
        state,
        at,
        S::IssueChallenge {
            nonce: nonce.clone(),
            org: organizer_bin(),
        },
    )?;
    let events = run(
        state,
        at,
        S::Complete {
            nonce,
            signature_valid: right,
        },
    )?;
    Ok(matches!(events[0], SignInEvent::Succeeded(_)))
}

/// S6 (L3736–3738): five wrong signatures in a row lock the sign-in; the sixth attempt, even
/// signed rightly, is refused until t5 + 10 minutes; then it succeeds.
#[test]
fn s6_lockout_after_five_failures_in_a_row() {
    let t0 = World::new().now;
    let mut s = SignIn::default();
    for k in 0..5 {
        assert_eq!(attempt(&mut s, t0 + Duration::seconds(k), false), Ok(false));
    }
    let t5 = t0 + Duration::seconds(4);
    assert!(s.locked(t5));
    assert_eq!(
        attempt(&mut s, t5 + Duration::minutes(9), true),
        Err("sign_in_locked")
    );
    assert_eq!(attempt(&mut s, t5 + Duration::minutes(10), true), Ok(true));
}

/// S6 variant: 4 wrong, 1 right, 4 wrong is no lock (the failures are not in a row).
#[test]
fn s6_failures_must_be_consecutive() {
    let t0 = World::new().now;
    let mut s = SignIn::default();
    let outcomes = [false, false, false, false, true, false, false, false, false];
    for (k, right) in outcomes.into_iter().enumerate() {
        attempt(&mut s, t0 + Duration::seconds(k as i64), right).unwrap();
    }
    assert!(!s.locked(t0 + Duration::seconds(10)));
    assert_eq!(s.consecutive_failures, 4);
}

/// A nonce is signed once and within its validity; an unknown nonce is refused.
#[test]
fn a_challenge_is_used_once_and_expires() {
    let t0 = World::new().now;
    let mut s = SignIn::default();
    let issue = || S::IssueChallenge {
        nonce: "n1".into(),
        org: organizer_bin(),
    };
    let complete = |n: &str| S::Complete {
        nonce: n.into(),
        signature_valid: true,
    };
    run(&mut s, t0, issue()).unwrap();
    assert_eq!(
        run(&mut s, t0, complete("other")).unwrap_err(),
        "challenge_not_found"
    );
    run(&mut s, t0, complete("n1")).unwrap();
    assert_eq!(
        run(&mut s, t0, complete("n1")).unwrap_err(),
        "challenge_used"
    );
    run(&mut s, t0, issue()).unwrap();
    let late = t0 + Duration::minutes(5);
    assert_eq!(
        run(&mut s, late, complete("n1")).unwrap_err(),
        "challenge_expired"
    );
}
