//! Any bytes as a PDF file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = imrlint::pdf::extract_text(data);
});
