//! Per-letter time of each stage over a folder of letters (minimum of several rounds).
use imrlint::rules::Pack;

// The allocator of the imrlint binary, so that the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::{Duration, Instant};

fn best<T>(rounds: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .min()
        .unwrap()
}

#[inline(never)]
fn measured(stage: &dyn Fn()) {
    stage()
}

#[inline(never)]
fn parse_untimed(text: &str) -> imrlint::letter::Case {
    imrlint::letter::parse_text(text)
}

fn main() {
    let dir = std::env::args().nth(1).expect("a folder of letters");
    let limit: usize = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    let mut files = vec![];
    for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "txt") && files.len() < limit {
            files.push(std::fs::read(e.path()).unwrap());
        }
    }
    let n = files.len() as f64;
    let pack = Pack::default_rules().unwrap();
    let texts: Vec<String> = files
        .iter()
        .map(|b| imrlint::letter::decode(b).unwrap().text)
        .collect();
    let only = std::env::var("ONLY").unwrap_or_default();
    // Cases parsed apart from the timed parsing (a profiler can tell the two apart).
    let cases: Vec<_> = if only == "parse" {
        vec![]
    } else {
        texts.iter().map(|x| parse_untimed(x)).collect()
    };
    // `ONLY=stage`: that stage alone, once to warm up and then in `measured`, for a
    // profiler (`valgrind --tool=callgrind --toggle-collect=stage_times::measured`).
    let stage: Option<Box<dyn Fn()>> = match only.as_str() {
        "parse" => Some(Box::new(|| {
            for x in &texts {
                std::hint::black_box(imrlint::letter::parse_text(x));
            }
        })),
        "lines" => Some(Box::new(|| {
            for x in &texts {
                std::hint::black_box(imrlint::letter::text::content_lines(x));
            }
        })),
        "facts" => Some(Box::new(|| {
            for c in &cases {
                std::hint::black_box(imrlint::facts::extract::extract(c, &pack));
            }
        })),
        "check" => Some(Box::new(|| {
            for b in &files {
                std::hint::black_box(imrlint::check::check_bytes("x.txt", b, &pack));
            }
        })),
        _ => None,
    };
    if let Some(stage) = stage {
        stage();
        measured(&*stage);
        return;
    }
    let r = 5;
    let lines = best(r, || {
        texts
            .iter()
            .map(|x| imrlint::letter::text::content_lines(x).len())
            .sum::<usize>()
    });
    let parse = best(r, || {
        texts
            .iter()
            .map(|x| imrlint::letter::parse_text(x).items.len())
            .sum::<usize>()
    });
    let facts = best(r, || {
        cases
            .iter()
            .map(|c| imrlint::facts::extract::extract(c, &pack).summary.len())
            .sum::<usize>()
    });
    let eval = best(r, || {
        cases
            .iter()
            .map(|c| imrlint::eval::evaluate(c, &pack).findings.len())
            .sum::<usize>()
    });
    let check = best(r, || {
        files
            .iter()
            .map(|b| {
                imrlint::check::check_bytes("x.txt", b, &pack)
                    .findings
                    .len()
            })
            .sum::<usize>()
    });
    let us = |d: Duration| d.as_secs_f64() * 1e6 / n;
    println!(
        "{n} letters; µs per letter: lines {:.1}  parse {:.1}  facts {:.1}  eval (with facts) {:.1}  check {:.1}",
        us(lines), us(parse), us(facts), us(eval), us(check)
    );
}
