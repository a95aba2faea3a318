//! Any bytes as a PDF file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // libfuzzer aborts on any panic; the extractor's own panics are caught (and reported
    // as findings) inside `extract_text`, so only a panic that escapes it is a crash.
    let _ = imrlint::pdf::extract_text(data);
});
