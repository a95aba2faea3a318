//! Any text as a guideline line.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let span = imrlint::span::Span::new(0, text.len());
    let c = imrlint::citation::parse(&text, span, &|s, e| imrlint::span::Span::new(s, e));
    for r in &c.refs {
        assert!(r.span.end <= text.len());
        for p in &r.pages {
            assert!(p.start <= p.end);
        }
    }
});
