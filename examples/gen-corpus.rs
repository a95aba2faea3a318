//! Writes a corpus of synthetic IMR letters for benchmarks and soak tests.
//!
//! `cargo run --release --example gen-corpus -- --letters N --out DIR [--seed S] [--plant-rate P]`
//!
//! Letters are deterministic for a seed. Each letter picks a clinical scenario, decides its
//! items the way the guidelines imply, and with probability `--plant-rate` flips one item's
//! decision so that a known decision rule must fire. `DIR/manifest.jsonl` lists every letter
//! with its items and the planted rule, if any.

use std::fmt::Write as _;
use std::path::PathBuf;

/// splitmix64: tiny, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Scenario {
    Axial,
    RedFlag,
    Progressive,
    Stable,
}

#[derive(Clone, Copy, PartialEq)]
enum Class {
    Xray,
    Mri,
    Emg,
}

impl Class {
    fn id(self) -> &'static str {
        match self {
            Class::Xray => "lumbar-xray",
            Class::Mri => "lumbar-mri",
            Class::Emg => "emg-ncv-lower",
        }
    }
}

/// The decision the guideline implies, and the rule that fires if it is flipped.
fn implied(s: Scenario, c: Class) -> (bool, Option<&'static str>) {
    // (overturned?, rule fired by the opposite decision)
    match (s, c) {
        (Scenario::Axial, Class::Xray) => (false, Some("lumbar-xray-without-red-flags")),
        (Scenario::Axial, Class::Mri) => (false, Some("lumbar-mri-without-indication")),
        (Scenario::Axial, Class::Emg) => (false, Some("emg-lower-without-neuro-findings")),
        (Scenario::RedFlag, Class::Xray) => (true, Some("lumbar-xray-red-flag-denied")),
        (Scenario::RedFlag, Class::Mri) => (true, Some("lumbar-mri-indicated-denied")),
        (Scenario::RedFlag, Class::Emg) => (false, None),
        (Scenario::Progressive, Class::Xray) => (true, Some("lumbar-xray-red-flag-denied")),
        (Scenario::Progressive, Class::Mri) => (true, Some("lumbar-mri-indicated-denied")),
        (Scenario::Progressive, Class::Emg) => (true, Some("emg-lower-progressive-deficit-denied")),
        (Scenario::Stable, Class::Xray) => (false, Some("lumbar-xray-without-red-flags")),
        (Scenario::Stable, _) => (false, None),
    }
}

fn summary(r: &mut Rng, s: Scenario, age: u32, male: bool, doi: &str, visit: &str) -> String {
    let sex = if male { "male" } else { "female" };
    let job = r.pick(&[
        "warehouse worker",
        "nurse",
        "truck driver",
        "carpenter",
        "cashier",
        "mechanic",
        "teacher's aide",
        "custodian",
    ]);
    let mech = r.pick(&[
        "lifting a heavy box",
        "a slip on a wet floor",
        "pulling a pallet jack",
        "repetitive bending",
        "moving a patient",
    ]);
    let mut t = format!(
        "The injured worker is a {age}-year-old {sex} {job} who sustained an industrial injury on {doi} from {mech}. "
    );
    let treat = r.pick(&[
        "Treatment to date has included physical therapy, naproxen and a home exercise program.",
        "Treatment has included chiropractic care, ibuprofen and activity modification.",
        "Prior care included twelve sessions of physical therapy and cyclobenzaprine.",
    ]);
    t.push_str(treat);
    t.push(' ');
    let visit_intro = format!("On the visit dated {visit}, ");
    t.push_str(&visit_intro);
    match s {
        Scenario::Axial => {
            t.push_str(r.pick(&[
                "the worker reported low back pain that does not radiate. He denies numbness, tingling or weakness in the legs. Strength is 5/5, reflexes are symmetric and straight leg raise is negative. There are no red flags; the worker denies fever, weight loss and bowel or bladder dysfunction.",
                "the low back pain was described as axial and worse with bending, without leg symptoms. Neurologic examination was normal. No red flags were identified, and saddle anesthesia was denied.",
            ]));
        }
        Scenario::RedFlag => {
            t.push_str(r.pick(&[
                "the worker reported low back pain with fever and chills over the past week after a urinary tract infection.",
                "the worker reported low back pain that wakes her from sleep and an unexplained weight loss of 15 pounds over two months.",
                "the worker described new urinary retention and saddle numbness along with low back pain.",
            ]));
        }
        Scenario::Progressive => {
            t.push_str(r.pick(&[
                "the worker reported left leg numbness that has spread into the foot over the last month, with new weakness. Examination showed a positive straight leg raise on the left and ankle dorsiflexion strength of 4/5, worsened from 5/5 at the prior visit.",
                "there was worsening weakness of the right great toe extensor, now 3/5, with a diminished right Achilles reflex and progressive numbness of the lateral foot.",
            ]));
        }
        Scenario::Stable => {
            t.push_str(r.pick(&[
                "the worker reported right leg pain to the calf, unchanged for a year. Straight leg raise was positive on the right at 50 degrees. He denies bowel or bladder dysfunction and fever.",
                "left buttock and thigh pain with intermittent tingling was reported, the same as at prior visits, with a positive straight leg raise on the left. No red flags were noted.",
            ]));
        }
    }
    t
}

fn request(r: &mut Rng, c: Class) -> &'static str {
    match c {
        Class::Xray => r.pick(&[
            "X-ray of the lumbar spine",
            "Lumbar spine x-rays, 3 views",
            "Radiographs of the lumbosacral spine",
        ]),
        Class::Mri => r.pick(&[
            "MRI of the lumbar spine",
            "MRI lumbar spine without contrast",
            "Lumbar MRI",
        ]),
        Class::Emg => r.pick(&[
            "EMG/NCV of the bilateral lower extremities",
            "Electromyography of the left lower extremity",
            "Nerve conduction velocity study of the bilateral lower extremities",
        ]),
    }
}

fn rationale(r: &mut Rng, c: Class, overturned: bool) -> String {
    let guideline = match c {
        Class::Xray => "ACOEM guidance reserves plain films of the low back for red flags for serious spinal pathology.",
        Class::Mri => "ACOEM supports lumbar imaging for unequivocal objective nerve-root findings or red flags.",
        Class::Emg => "ACOEM notes that electromyography can identify subtle focal neurologic dysfunction when symptoms last more than three to four weeks.",
    };
    let close = if overturned {
        "Therefore the request is medically necessary."
    } else {
        "Therefore the request is not medically necessary."
    };
    let middle = r.pick(&[
        "The records were reviewed in full.",
        "The documentation submitted was considered.",
        "The treating physician's notes were reviewed.",
    ]);
    format!("{guideline} {middle} {close}")
}

fn maximus(c: Class) -> &'static str {
    match c {
        Class::Xray | Class::Mri => {
            "Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303-304."
        }
        Class::Emg => "Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303.",
    }
}

/// Lays text out as extracted PDFs do: wrapped, sometimes double-spaced, CRLF, footers.
fn pdf_like(r: &mut Rng, text: &str) -> String {
    let double = r.chance(0.5);
    let crlf = r.chance(0.2);
    let nl = if crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    let mut page_lines = 0;
    let mut page = 1;
    for para in text.split('\n') {
        let mut line = String::new();
        let mut lines = Vec::new();
        for w in para.split(' ') {
            if line.len() + w.len() + 1 > 92 && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(w);
        }
        lines.push(line);
        for l in lines {
            out.push_str(&l);
            out.push(' ');
            out.push_str(nl);
            if double {
                out.push_str(nl);
            }
            page_lines += 1;
            if page_lines == 45 {
                page += 1;
                let _ = write!(out, "{nl}Page {page} of 4{nl}{nl}");
                page_lines = 0;
            }
        }
    }
    out
}

/// One item of a generated letter.
struct ItemSpec {
    request: &'static str,
    overturned: bool,
    guideline: &'static str,
    rationale: String,
}

/// Everything a layout needs to write a letter.
struct LetterSpec {
    n: usize,
    header: bool,
    doi: String,
    state: &'static str,
    spec: &'static str,
    summary: String,
    items: Vec<ItemSpec>,
}

/// Layout A: "1 <request>: Upheld", with the MAXIMUS guideline line.
fn render_a(l: &LetterSpec, r: &mut Rng) -> String {
    let mut text = String::new();
    if l.header {
        let _ = writeln!(
            text,
            "Case Number: CM15-{:07}  Date Assigned: 03/02/2015\nDate of Injury: {}  Decision Date: {:02}/{:02}/2015\nUR Denial Date: 02/10/2015  Priority: Standard\nApplication Received: 02/20/2015",
            l.n,
            l.doi,
            1 + r.below(12),
            1 + r.below(28)
        );
    }
    let _ = writeln!(text, "HOW THE IMR FINAL DETERMINATION WAS MADE\nMAXIMUS Federal Services sent the complete case file to an expert reviewer.\nThe Expert Reviewer has the following credentials:\nState(s) of Licensure: {}\nCertification(s)/Specialty: {}\nCLINICAL CASE SUMMARY\nThe expert reviewer developed the following clinical case summary based on a review of the case file, including all medical records:", l.state, l.spec);
    let _ = writeln!(text, "{}", l.summary);
    let _ = writeln!(text, "IMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the disputed items/services set forth below:");
    for it in &l.items {
        let _ = writeln!(
            text,
            "1 {}: {}\nClaims Administrator guideline: Decision based on MTUS ACOEM Chapter 12 Low Back Complaints.\nMAXIMUS guideline: {}\nDecision rationale: {}",
            it.request,
            if it.overturned { "Overturned" } else { "Upheld" },
            it.guideline,
            it.rationale
        );
    }
    text
}

/// Layout B: the 2013-2014 notice, "1. <request> is (not) medically necessary".
fn render_b(l: &LetterSpec, _r: &mut Rng) -> String {
    let mut text = format!(
        "MAXIMUS FEDERAL SERVICES, INC.\nIndependent Medical Review\nNotice of Independent Medical Review Determination\nIMR Case Number: CM13-{:07}\nDate of Injury: {}\nUR Denial Date: 08/30/2013\nPriority: Standard\nApplication Received: 09/12/2013\nTreatment(s) in Dispute: {}\nFinal Determination: see the decisions below.\n",
        l.n,
        l.doi,
        l.items.iter().map(|i| i.request).collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(text, "HOW THE IMR FINAL DETERMINATION WAS MADE\nMAXIMUS Federal Services sent the complete case file to an expert reviewer.\nThe Expert Reviewer has the following credentials:\nState(s) of Licensure: {}\nCertification(s)/Specialty: {}\nDOCUMENTS REVIEWED\n- Utilization review determination dated 08/30/2013\n- Primary treating physician progress reports\nCLINICAL CASE SUMMARY\n{}\nIMR DECISION(S) AND RATIONALE(S)\nThe Final Determination is based on the decisions for the disputed items/services set forth below:", l.state, l.spec, l.summary);
    for (k, it) in l.items.iter().enumerate() {
        let _ = writeln!(
            text,
            "{}. {} is {}medically necessary and appropriate.\nThe Claims Administrator based its decision on the MTUS ACOEM Chapter 12 Low Back Complaints.\nThe Expert Reviewer based his/her decision on the {}\nRationale for the Decision:\n{}",
            k + 1,
            it.request,
            if it.overturned { "" } else { "not " },
            it.guideline.trim_start_matches("Decision based on "),
            it.rationale
        );
    }
    text
}

/// Layout C: "MEDICAL PROFESSIONAL REVIEW", one item, determination in words.
fn render_c(l: &LetterSpec, _r: &mut Rng) -> String {
    let it = &l.items[0];
    format!(
        "MEDICAL PROFESSIONAL REVIEW\nIMR Case Number: CM14-{:07}\nDate of Injury: {}   UR Denial Date: 07/10/2014\nISSUE AT DISPUTE: {}\nCASE SUMMARY:\n{}\nDOCUMENTS REVIEWED FOR DETERMINATION:\nProgress reports\nMEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:\n{} It addresses the request.\nRATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:\n{}\nDETERMINATION: The requested {} is {}medically necessary. The denial is {}.\nMEDICAL REVIEWER QUALIFICATIONS:\nState(s) of Licensure: {}. Certification(s)/Specialty: {}\n",
        l.n,
        l.doi,
        it.request,
        l.summary,
        it.guideline.replace("Decision based on ", ""),
        it.rationale,
        it.request,
        if it.overturned { "" } else { "not " },
        if it.overturned { "overturned" } else { "upheld" },
        l.state,
        l.spec
    )
}

fn main() {
    let mut letters = 1000usize;
    let mut out = PathBuf::from("corpus");
    let mut seed = 42u64;
    let mut rate = 0.2f64;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--letters" => letters = v.parse().expect("--letters N"),
            "--out" => out = PathBuf::from(v),
            "--seed" => seed = v.parse().expect("--seed S"),
            "--plant-rate" => rate = v.parse().expect("--plant-rate P"),
            other => {
                eprintln!("unknown argument {other}\nusage: gen-corpus --letters N --out DIR [--seed S] [--plant-rate P]");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    generate(letters, &out, seed, rate);
    eprintln!("wrote {letters} letters to {}", out.display());
}

/// Writes the letters and `manifest.jsonl` into `out`.
fn generate(letters: usize, out: &std::path::Path, seed: u64, rate: f64) {
    let mut r = Rng(seed);
    let mut manifest = String::new();
    let specialties = [
        ("California", "Orthopedic Surgery"),
        (
            "California",
            "Physical Medicine & Rehabilitation, Pain Management",
        ),
        ("Texas", "Internal Medicine, Occupational Medicine"),
        ("New York", "Family Practice"),
        ("California", "Neurology"),
    ];
    for n in 0..letters {
        let dir = out.join(format!("{:03}", n / 1000));
        std::fs::create_dir_all(&dir).expect("create output folder");
        let s = [
            Scenario::Axial,
            Scenario::RedFlag,
            Scenario::Progressive,
            Scenario::Stable,
        ][r.below(4)];
        let classes: Vec<Class> = {
            let all = [Class::Xray, Class::Mri, Class::Emg];
            let k = 1 + r.below(3);
            let start = r.below(3);
            (0..k).map(|j| all[(start + j) % 3]).collect()
        };
        let plant = r.chance(rate);
        let flippable: Vec<usize> = (0..classes.len())
            .filter(|&j| implied(s, classes[j]).1.is_some())
            .collect();
        let flip = if plant && !flippable.is_empty() {
            Some(flippable[r.below(flippable.len())])
        } else {
            None
        };
        let age = 25 + r.below(40) as u32;
        let male = r.chance(0.5);
        let (y, m, d) = (2012 + r.below(3), 1 + r.below(12), 1 + r.below(28));
        let doi = format!("{m:02}/{d:02}/{y}");
        let visit = format!(
            "{:02}/{:02}/{}",
            1 + r.below(12),
            1 + r.below(28),
            y + 1 + r.below(2)
        );
        let (state, spec) = specialties[r.below(specialties.len())];
        let summary_text = summary(&mut r, s, age, male, &doi, &visit);
        // Layout C letters dispute one item.
        let which = r.below(3);
        let classes = if which == 2 {
            classes[..1].to_vec()
        } else {
            classes
        };
        let flip = flip.filter(|&j| j < classes.len());
        let mut items = Vec::new();
        let mut specs = Vec::new();
        for (j, &c) in classes.iter().enumerate() {
            let (over, rule) = implied(s, c);
            let flipped = flip == Some(j);
            let decision = over != flipped;
            specs.push(ItemSpec {
                request: request(&mut r, c),
                overturned: decision,
                guideline: maximus(c),
                rationale: rationale(&mut r, c, decision),
            });
            items.push(format!(
                r#"{{"n":{},"class":"{}","decision":"{}","planted":{}}}"#,
                j + 1,
                c.id(),
                if decision { "overturned" } else { "upheld" },
                if flipped {
                    format!("\"{}\"", rule.unwrap())
                } else {
                    "null".into()
                }
            ));
        }
        let spec = LetterSpec {
            n,
            header: r.chance(0.5),
            doi: doi.clone(),
            state,
            spec,
            summary: summary_text,
            items: specs,
        };
        let text = match which {
            0 => render_a(&spec, &mut r),
            1 => render_b(&spec, &mut r),
            _ => render_c(&spec, &mut r),
        };
        let name = dir.join(format!("letter-{n:07}.txt"));
        std::fs::write(&name, pdf_like(&mut r, &text)).expect("write letter");
        let _ = writeln!(
            manifest,
            r#"{{"file":"{}","layout":"{}","items":[{}]}}"#,
            name.display(),
            ["A", "B", "C"][which],
            items.join(",")
        );
    }
    std::fs::write(out.join("manifest.jsonl"), manifest).expect("write manifest");
}

#[cfg(test)]
mod tests {
    use super::generate;

    /// Every planted inconsistency is found on its item, and nothing else is flagged.
    #[test]
    fn planted_decisions_are_found_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        generate(200, tmp.path(), 7, 0.3);
        let pack = imrlint::rules::Pack::default_rules().unwrap();
        let manifest = std::fs::read_to_string(tmp.path().join("manifest.jsonl")).unwrap();
        let mut planted_total = 0;
        for line in manifest.lines() {
            let m: serde_json::Value = serde_json::from_str(line).unwrap();
            let path = std::path::PathBuf::from(m["file"].as_str().unwrap());
            let r = imrlint::check::check_path(&path, &pack);
            let mut found: Vec<(usize, String)> = r
                .findings
                .iter()
                .map(|f| (f.item.unwrap_or(0), f.rule.clone()))
                .collect();
            found.sort();
            let mut planted: Vec<(usize, String)> = m["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| !i["planted"].is_null())
                .map(|i| {
                    (
                        i["n"].as_u64().unwrap() as usize,
                        i["planted"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            planted.sort();
            planted_total += planted.len();
            assert_eq!(found, planted, "{}", path.display());
        }
        assert!(planted_total > 30, "only {planted_total} planted");
    }
}
