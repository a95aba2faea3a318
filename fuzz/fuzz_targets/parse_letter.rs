//! Any bytes through the whole letter pipeline: decode, detect the layout, parse, extract
//! facts, evaluate the default pack.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static PACK: OnceLock<imrlint::rules::Pack> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let pack = PACK.get_or_init(|| imrlint::rules::Pack::default_rules().expect("default pack"));
    let r = imrlint::check::check_bytes("fuzz.txt", data, pack);
    // Every finding points inside the text it was read from.
    for f in &r.findings {
        assert!(f.span.end <= r.source.len());
    }
});
