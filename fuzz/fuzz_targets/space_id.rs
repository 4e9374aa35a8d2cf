//! `SpaceId::new`: accepts exactly `^[a-z0-9_-]+$` up to `SpaceId::MAX_LEN` characters; an accepted id round-trips
//! unchanged (`as_str`, `Display`, `AsRef`, re-validation); a refused one is `InvalidSpaceId` naming the input, with
//! a reason.

#![no_main]

use kibana::{__fuzz, Error, SpaceId};
use libfuzzer_sys::fuzz_target;

fn matches_kibana_rule(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= SpaceId::MAX_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fuzz_target!(|data: &[u8]| {
    let Ok(id) = std::str::from_utf8(data) else {
        return;
    };
    match __fuzz::space_id(id) {
        Ok(space) => {
            assert!(matches_kibana_rule(id), "{id:?} accepted");
            assert_eq!(space.as_str(), id);
            assert_eq!(space.to_string(), id);
            assert_eq!(AsRef::<str>::as_ref(&space), id);
            assert_eq!(space.is_default(), id == SpaceId::DEFAULT);
            assert_eq!(SpaceId::new(space.to_string()).as_ref().ok(), Some(&space));
        }
        Err(error) => {
            assert!(!matches_kibana_rule(id), "{id:?} refused: {error}");
            let message = error.to_string();
            match error {
                Error::InvalidSpaceId { space_id, reason } => {
                    assert_eq!(space_id, id);
                    assert!(!reason.is_empty());
                    assert!(message.contains(&reason));
                }
                other => panic!("{id:?}: not InvalidSpaceId: {other:?}"),
            }
        }
    }
});
