//! Global-log positions: `Position { major: commit, minor: prepare }`.

use kurrentdb::StreamPosition;
use zakup_store::{Position, StoreError};

pub fn to_kurrent(position: Position) -> kurrentdb::Position {
    kurrentdb::Position {
        commit: position.major,
        prepare: position.minor,
    }
}

/// A stored event's position. The server sends `u64::MAX` (its `-1`) when it does not know an
/// event's `$all` position: older EventStoreDB servers on stream reads, and events written in
/// legacy explicit transactions, which Zakup never writes.
pub fn from_kurrent(position: kurrentdb::Position) -> Result<Position, StoreError> {
    if position.commit == u64::MAX || position.prepare == u64::MAX {
        return Err(StoreError::Backend(
            "the server did not report the event's $all position; Zakup needs a KurrentDB \
             server"
                .into(),
        ));
    }
    Ok(Position {
        major: position.commit,
        minor: position.prepare,
    })
}

/// Where a read or subscription of `$all` starts for a checkpoint `after` (exclusive). A
/// subscription skips the event at the position itself; a read includes it, so readers drop it.
pub fn start_after(after: Option<Position>) -> StreamPosition<kurrentdb::Position> {
    after.map_or(StreamPosition::Start, |p| {
        StreamPosition::Position(to_kurrent(p))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_is_major_and_prepare_is_minor() {
        let p = Position {
            major: 1_234,
            minor: 1_200,
        };
        let k = to_kurrent(p);
        assert_eq!((k.commit, k.prepare), (1_234, 1_200));
        assert_eq!(from_kurrent(k).unwrap(), p);
    }

    #[test]
    fn both_orders_agree() {
        let a = kurrentdb::Position {
            commit: 10,
            prepare: 9,
        };
        let b = kurrentdb::Position {
            commit: 10,
            prepare: 10,
        };
        let c = kurrentdb::Position {
            commit: 11,
            prepare: 0,
        };
        assert!(a < b && b < c);
        let (a, b, c) = (
            from_kurrent(a).unwrap(),
            from_kurrent(b).unwrap(),
            from_kurrent(c).unwrap(),
        );
        assert!(a < b && b < c);
    }

    #[test]
    fn an_unknown_position_is_an_error() {
        let unknown = kurrentdb::Position {
            commit: u64::MAX,
            prepare: u64::MAX,
        };
        assert!(matches!(from_kurrent(unknown), Err(StoreError::Backend(_))));
    }

    #[test]
    fn no_checkpoint_starts_at_the_beginning() {
        assert_eq!(start_after(None), StreamPosition::Start);
        assert_eq!(
            start_after(Some(Position { major: 5, minor: 4 })),
            StreamPosition::Position(kurrentdb::Position {
                commit: 5,
                prepare: 4
            })
        );
    }
}
