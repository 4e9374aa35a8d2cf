//! Every example of the pinned documents that belongs to a generated request or response body must deserialize
//! into its generated type (this catches wrong types early). Examples broken upstream are listed as known-bad, with
//! the reason, in `openapi/transforms.toml`, and reported rather than silently skipped. The documents are read from
//! `../shared/openapi/kibana` (or `KIBANA_SPEC_DIR`); without them the test says loudly that it checked nothing.

mod support;

#[rustfmt::skip]
#[path = "generated/spec_example_cases.rs"]
mod cases;

#[test]
fn every_spec_example_deserializes_into_its_generated_type() {
    let Some(mut run) = support::ExampleRun::load() else {
        return;
    };
    cases::check_all(&mut run);
    run.finish(cases::COUNT);
}
