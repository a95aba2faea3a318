//! Any text as a rule file, loaded after the default pack.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let pack = imrlint::rules::PackSource {
        name: "fuzz".into(),
        files: vec![imrlint::rules::SourceFile {
            path: "fuzz.yaml".into(),
            text: Arc::from(text.as_ref()),
        }],
    };
    if let Err(errors) = imrlint::rules::load(&[imrlint::rules::default_pack(), pack]) {
        for e in errors {
            if let Some(s) = e.span {
                assert!(s.end <= e.source_text.len());
            }
            let _ = e.to_string();
        }
    }
});
