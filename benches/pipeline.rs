//! Per-letter costs of each stage: layout detection and parsing, fact extraction, rule
//! evaluation, and the whole check. Run with `cargo bench`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use imrlint::facts::extract::extract;
use imrlint::letter::{parse_text, text::content_lines};
use imrlint::rules::Pack;

fn letter() -> String {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/layout-a/008-mri-emg-upheld-progressive-foot-drop.txt"
    );
    std::fs::read_to_string(p).expect("fixture letter")
}

fn stages(c: &mut Criterion) {
    let text = letter();
    let pack = Pack::default_rules().expect("default pack");
    let case = parse_text(&text);
    c.bench_function("normalise: content lines", |b| {
        b.iter(|| content_lines(black_box(&text)).len())
    });
    c.bench_function("parse: detect layout and read the case", |b| {
        b.iter(|| parse_text(black_box(&text)))
    });
    c.bench_function("facts: concepts and context", |b| {
        b.iter(|| extract(black_box(&case), &pack))
    });
    c.bench_function("eval: all rules", |b| {
        b.iter(|| imrlint::eval::evaluate(black_box(&case), &pack))
    });
    c.bench_function("check: bytes to findings", |b| {
        b.iter(|| imrlint::check::check_bytes("letter.txt", black_box(text.as_bytes()), &pack))
    });
    c.bench_function("load: compile the default pack", |b| {
        b.iter(|| Pack::default_rules().map(|p| p.rules.len()))
    });
}

criterion_group!(benches, stages);
criterion_main!(benches);
