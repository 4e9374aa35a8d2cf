//! What the SDK made of an answer, held against what Kibana sent: the round trip (nothing lost on the way) and
//! thinned answers (required properties left out, as real Kibana does). Shared by the conformance sweep and the
//! recorded-answers test.

#![allow(dead_code)]

pub mod replay;
pub mod roundtrip;
pub mod thin;
