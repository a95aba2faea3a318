//! `imrlint audit` on the fixture batch of `fixtures/audit/` (built by
//! `fixtures/audit/generate.py`): every figure of the JSON report equals a hand
//! calculation from how the batch was built, and the HTML report is well-formed and
//! self-contained.
//!
//! The batch: 4 reviewer profiles x 12 one-item letters. Letter j of a profile:
//! j 0-3 lumbar X-ray (summaries AX AX AX RF), j 4-7 lumbar MRI (AX AX PROG PROG),
//! j 8-11 EMG/NCV (AX AX PROG TING). AX implies upheld, RF and PROG overturned, TING
//! nothing. P1 (California, Occupational Medicine) follows the guideline, TING overturned;
//! P2 (California, Orthopedic Surgery) overturns j=0, TING upheld; P3 (Arizona, PM&R +
//! Pain Management) upholds j=6, TING overturned; P4 (New York, Neurology) overturns all.
//! Letter j is decided in 2015-(j/2+1).

mod common;

use common::{imrlint, root};
use serde_json::Value;

const EPS: f64 = 1e-9;

fn audit_json() -> Value {
    let out = imrlint()
        .current_dir(root())
        .args(["audit", "--format", "json", "fixtures/audit"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn close(v: &Value, want: f64, what: &str) {
    assert!((f(v) - want).abs() < EPS, "{what}: got {v}, want {want}");
}

fn find<'a>(list: &'a Value, key_field: &str, key: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x[key_field] == key)
        .unwrap_or_else(|| panic!("no {key} in {list}"))
}

/// Wilson score interval, written out independently of the crate.
fn wilson(x: f64, n: f64) -> (f64, f64) {
    let z = 1.96_f64;
    let p = x / n;
    let c = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let h = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    ((c - h).max(0.0), (c + h).min(1.0))
}

/// Pooled two-proportion z.
fn z2(x1: f64, n1: f64, x2: f64, n2: f64) -> f64 {
    let p = (x1 + x2) / (n1 + n2);
    (x1 / n1 - x2 / n2) / (p * (1.0 - p) * (1.0 / n1 + 1.0 / n2)).sqrt()
}

/// Kappa from a 2x2 table [[uu, uo], [ou, oo]] (rows implied, columns actual).
fn kappa(uu: f64, uo: f64, ou: f64, oo: f64) -> (f64, f64, f64) {
    let n = uu + uo + ou + oo;
    let po = (uu + oo) / n;
    let pe = ((uu + uo) * (uu + ou) + (ou + oo) * (uo + oo)) / (n * n);
    (po, pe, (po - pe) / (1.0 - pe))
}

fn group(g: &Value, items: u64, upheld: u64, overturned: u64, decision_findings: u64) {
    let what = g["key"].as_str().unwrap_or("batch").to_string();
    assert_eq!(g["items"], items, "{what} items");
    assert_eq!(g["upheld"], upheld, "{what} upheld");
    assert_eq!(g["overturned"], overturned, "{what} overturned");
    assert_eq!(g["undecided"], 0, "{what} undecided");
    assert_eq!(
        g["findings"]["decision"], decision_findings,
        "{what} findings"
    );
    for k in ["citation", "contradiction", "grounding", "format"] {
        assert_eq!(g["findings"][k], 0, "{what} {k} findings");
    }
    assert_eq!(g["findings_total"], decision_findings);
    // Every finding of this batch is the only one on its item.
    assert_eq!(g["items_with_findings"], decision_findings);
    let decided = (upheld + overturned) as f64;
    close(
        &g["upheld_rate"],
        upheld as f64 / decided,
        &format!("{what} upheld rate"),
    );
    let (lo, hi) = wilson(upheld as f64, decided);
    close(&g["upheld_ci"][0], lo, &format!("{what} ci low"));
    close(&g["upheld_ci"][1], hi, &format!("{what} ci high"));
    close(
        &g["any_finding_rate"],
        decision_findings as f64 / items as f64,
        &format!("{what} any-finding rate"),
    );
    close(
        &g["findings_per_100"]["decision"],
        100.0 * decision_findings as f64 / items as f64,
        &format!("{what} per 100"),
    );
}

#[test]
fn every_figure_matches_the_hand_calculation() {
    let r = audit_json();

    // Batch: 48 letters of one item. Upheld: P1 7 + P2 7 + P3 8 + P4 0 = 22.
    // Decision findings: P2 1 + P3 1 + P4 7 (its 7 items where the guideline implies upheld).
    let b = &r["batch"];
    assert_eq!(b["files"], 48);
    assert_eq!(b["letters"], 48);
    assert_eq!(b["unreadable"], 0);
    assert_eq!(b["skipped"], 49, "generate.py and the 48 expected files");
    group(b, 48, 22, 26, 9);

    // Rules: each class has 16 items; AX items hold the "upheld" rule of their class,
    // RF/PROG items the "overturned" one.
    let decision_rules = [
        // id, held, fired
        ("lumbar-xray-without-red-flags", 12, 4), // P2 j0 + P4 j0-2
        ("lumbar-xray-red-flag-denied", 4, 0),
        ("lumbar-mri-without-indication", 8, 2), // P4 j4-5
        ("lumbar-mri-repeat-without-progression", 0, 0),
        ("lumbar-mri-indicated-denied", 8, 1),      // P3 j6
        ("emg-lower-without-neuro-findings", 8, 2), // P4 j8-9
        ("emg-lower-progressive-deficit-denied", 4, 0),
    ];
    for (id, held, fired) in decision_rules {
        let x = find(&r["rules"], "id", id);
        assert_eq!(x["kind"], "decision", "{id}");
        assert_eq!(x["applied"], 16, "{id} applied");
        assert_eq!(x["held"], held, "{id} held");
        assert_eq!(x["inconsistent"], fired, "{id} inconsistent");
        assert_eq!(x["consistent"], 16 - fired, "{id} consistent");
    }
    for id in [
        "grounding-prior-imaging",
        "grounding-prior-electrodiagnostics",
        "grounding-red-flags-denied",
    ] {
        let x = find(&r["rules"], "id", id);
        assert_eq!(x["applied"], 48, "{id} applies to every class");
        assert_eq!(x["held"], 0, "{id}");
        assert_eq!(x["inconsistent"], 0, "{id}");
    }
    let dk = &r["rules_by_kind"]["decision"];
    // Every decision rule of the pack is listed; only the seven low-back ones apply here.
    let pack = imrlint::rules::Pack::default_rules().unwrap();
    let decision_rules = pack
        .rules
        .iter()
        .filter(|r| r.def.kind == imrlint::rules::model::Kind::Decision)
        .count();
    assert_eq!(dk["rules"], decision_rules);
    assert_eq!(dk["applied"], 7 * 16);
    assert_eq!(dk["inconsistent"], 9);
    assert_eq!(dk["consistent"], 7 * 16 - 9);
    assert_eq!(r["rules_by_kind"]["grounding"]["inconsistent"], 0);

    // Request classes (16 items each).
    // X-ray: P1 3U 1O, P2 2U 2O, P3 3U 1O, P4 4O -> 8U 8O; findings P2 1 + P4 3.
    group(find(&r["classes"], "key", "lumbar-xray"), 16, 8, 8, 4);
    // MRI: P1 2U 2O, P2 2U 2O, P3 3U 1O, P4 4O -> 7U 9O; findings P3 1 + P4 2.
    group(find(&r["classes"], "key", "lumbar-mri"), 16, 7, 9, 3);
    // EMG: P1 2U 2O, P2 3U 1O, P3 2U 2O, P4 4O -> 7U 9O; findings P4 2.
    group(find(&r["classes"], "key", "emg-ncv-lower"), 16, 7, 9, 2);
    assert_eq!(r["classes"].as_array().unwrap().len(), 3);

    // Reviewer profiles: specialties sorted, so P3's two orders are one profile.
    let profiles = [
        // key, upheld, decision findings, upheld flag, any-finding flag
        (
            "Arizona | Pain Management; Physical Medicine & Rehabilitation",
            8,
            1,
            false,
            false,
        ),
        ("California | Occupational Medicine", 7, 0, false, false),
        ("California | Orthopedic Surgery", 7, 1, false, false),
        ("New York | Neurology", 0, 7, true, true),
    ];
    assert_eq!(r["profiles"].as_array().unwrap().len(), 4);
    for (key, upheld, fnd, uflag, fflag) in profiles {
        let p = find(&r["profiles"], "key", key);
        group(p, 12, upheld, 12 - upheld, fnd);
        close(&p["batch_upheld_rate"], 22.0 / 48.0, "batch upheld rate");
        close(
            &p["batch_any_finding_rate"],
            9.0 / 48.0,
            "batch any-finding rate",
        );
        close(
            &p["batch_findings_per_100"]["decision"],
            18.75,
            "batch per 100",
        );
        // Against the other 36 items: upheld 22 - x of 36, findings 9 - y of 36.
        let zu = z2(upheld as f64, 12.0, (22 - upheld) as f64, 36.0);
        let zf = z2(fnd as f64, 12.0, (9 - fnd) as f64, 36.0);
        close(&p["upheld_z"], zu, &format!("{key} upheld z"));
        close(&p["any_finding_z"], zf, &format!("{key} any-finding z"));
        assert_eq!(p["upheld_flag"], uflag, "{key} upheld flag (z {zu})");
        assert_eq!(
            p["any_finding_flag"], fflag,
            "{key} any-finding flag (z {zf})"
        );
        assert_eq!(p["flagged"], uflag || fflag);
    }
    // The figures behind the flags, by hand: New York z = -0.6111 / 0.16609 = -3.68 and
    // 0.5278 / 0.13010 = 4.06; Occupational Medicine's any-finding z = -0.25 / 0.13010 =
    // -1.92, just inside the 1.96 threshold.
    let ny = find(&r["profiles"], "key", "New York | Neurology");
    assert!((f(&ny["upheld_z"]) + 3.679).abs() < 1e-3);
    assert!((f(&ny["any_finding_z"]) - 4.057).abs() < 1e-3);
    let occ = find(&r["profiles"], "key", "California | Occupational Medicine");
    assert!((f(&occ["any_finding_z"]) + 1.9215).abs() < 1e-3);
    assert_eq!(r["method"]["z_threshold"], 1.96);

    // Specialties: every profile has 12 items; P3's two specialties each carry its items.
    for (s, upheld, fnd) in [
        ("Neurology", 0, 7),
        ("Occupational Medicine", 7, 0),
        ("Orthopedic Surgery", 7, 1),
        ("Pain Management", 8, 1),
        ("Physical Medicine & Rehabilitation", 8, 1),
    ] {
        group(
            find(&r["specialties"], "key", s),
            12,
            upheld,
            12 - upheld,
            fnd,
        );
    }

    // Agreement. Implied upheld (AX, 7 per profile = 28): actual upheld P1 7 + P2 6 +
    // P3 7 = 20, overturned P2 1 + P4 7 = 8. Implied overturned (RF/PROG, 4 per profile =
    // 16): actual overturned 4 + 4 + 3 + 4 = 15, upheld 1 (P3 j6). TING: no rule implies.
    let check_agreement = |a: &Value, t: [u64; 4], none: u64| {
        let what = a["key"].as_str().unwrap_or("").to_string();
        let tab = &a["table"];
        assert_eq!(tab["implied_upheld_actual_upheld"], t[0], "{what}");
        assert_eq!(tab["implied_upheld_actual_overturned"], t[1], "{what}");
        assert_eq!(tab["implied_overturned_actual_upheld"], t[2], "{what}");
        assert_eq!(tab["implied_overturned_actual_overturned"], t[3], "{what}");
        assert_eq!(a["items"], t.iter().sum::<u64>(), "{what}");
        assert_eq!(a["agree"], t[0] + t[3], "{what}");
        assert_eq!(a["no_implication"], none, "{what}");
        assert_eq!(a["conflicting"], 0, "{what}");
        let (po, pe, k) = kappa(t[0] as f64, t[1] as f64, t[2] as f64, t[3] as f64);
        close(&a["observed"], po, &format!("{what} po"));
        close(&a["expected"], pe, &format!("{what} pe"));
        close(&a["kappa"], k, &format!("{what} kappa"));
    };
    let overall = &r["agreement"]["overall"];
    check_agreement(overall, [20, 8, 1, 15], 4);
    // po = 35/44 = 1540/1936, pe = (28*21 + 16*23)/44^2 = 956/1936,
    // kappa = (1540 - 956) / (1936 - 956) = 584/980 = 0.5959...
    close(&overall["observed"], 35.0 / 44.0, "po");
    close(&overall["expected"], 956.0 / 1936.0, "pe");
    close(&overall["kappa"], 584.0 / 980.0, "kappa");
    let by = &r["agreement"]["by_class"];
    // X-ray: implied U 12 (8 U, 4 O), implied O 4 (all O): po .75, pe .5, kappa .5.
    check_agreement(find(by, "key", "lumbar-xray"), [8, 4, 0, 4], 0);
    close(&find(by, "key", "lumbar-xray")["kappa"], 0.5, "x-ray kappa");
    // MRI: implied U 8 (6 U, 2 O), implied O 8 (1 U, 7 O): po 13/16, pe .5, kappa .625.
    check_agreement(find(by, "key", "lumbar-mri"), [6, 2, 1, 7], 0);
    close(&find(by, "key", "lumbar-mri")["kappa"], 0.625, "MRI kappa");
    // EMG: implied U 8 (6 U, 2 O), implied O 4 (all O), 4 TING: po 10/12, pe .5, kappa 2/3.
    check_agreement(find(by, "key", "emg-ncv-lower"), [6, 2, 0, 4], 4);
    close(
        &find(by, "key", "emg-ncv-lower")["kappa"],
        2.0 / 3.0,
        "EMG kappa",
    );

    // Similar cases: 7 groups (class x summary); all but X-ray RF and EMG PROG hold both
    // outcomes.
    let s = &r["similar"];
    assert_eq!(s["groups"], 7);
    assert_eq!(s["mixed_groups"], 5);
    let mut got: Vec<(String, u64, u64)> = s["mixed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let items = g["upheld_items"].as_array().unwrap().len()
                + g["overturned_items"].as_array().unwrap().len();
            assert_eq!(g["items"], items as u64);
            (
                g["class"].as_str().unwrap().to_string(),
                g["upheld"].as_u64().unwrap(),
                g["overturned"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    let mut want = vec![
        ("lumbar-xray".to_string(), 8, 4), // AX: P1 3, P2 2, P3 3 upheld; P2 1, P4 3 overturned
        ("lumbar-mri".to_string(), 6, 2),  // AX: P1-P3 2 each upheld; P4 2 overturned
        ("lumbar-mri".to_string(), 1, 7),  // PROG: P3 j6 upheld
        ("emg-ncv-lower".to_string(), 6, 2), // AX
        ("emg-ncv-lower".to_string(), 1, 3), // TING: P2 upheld
    ];
    want.sort();
    assert_eq!(got, want);
    // The MRI PROG group lists the one upheld letter, and its facts name the deficit.
    let prog = s["mixed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["class"] == "lumbar-mri" && g["upheld"] == 1)
        .unwrap();
    assert_eq!(
        prog["upheld_items"][0]["path"],
        "fixtures/audit/p3-06-mri-prog-upheld.txt"
    );
    assert!(prog["facts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "progression"));

    // Months: letter j in 2015-(j/2+1), 8 items a month.
    let months = [
        ("2015-01", 5, 3, 3), // X-ray AX x2: P2 j0 and P4 overturn
        ("2015-02", 3, 5, 1), // X-ray AX + RF: P4 j2
        ("2015-03", 6, 2, 2), // MRI AX x2: P4
        ("2015-04", 1, 7, 1), // MRI PROG x2: P3 j6 upheld
        ("2015-05", 6, 2, 2), // EMG AX x2: P4
        ("2015-06", 1, 7, 0), // EMG PROG + TING: P2 upholds TING
    ];
    assert_eq!(r["months"].as_array().unwrap().len(), 6);
    for (m, u, o, fnd) in months {
        group(find(&r["months"], "key", m), 8, u, o, fnd);
    }
    assert_eq!(r["undated"]["items"], 0);

    // One excerpt per finding, under the cap.
    assert_eq!(r["excerpts"]["stored"], 9);
    assert_eq!(r["excerpts"]["dropped"], 0);
}

fn html_report() -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    let out = imrlint()
        .current_dir(root())
        .args(["audit", "fixtures/audit", "--html"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    std::fs::read_to_string(&file).unwrap()
}

#[test]
fn html_report_is_well_formed_and_self_contained() {
    let html = html_report();
    // Well-formed: the whole document parses as XML (every element closed and nested,
    // every attribute quoted, every text escaped) with a strict parser.
    let mut reader = quick_xml::Reader::from_str(&html);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i64;
    let (mut svgs, mut anchors, mut links) = (0, Vec::new(), Vec::new());
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) => {
                depth += 1;
                if e.name().as_ref() == b"svg" {
                    svgs += 1;
                }
                for a in e.attributes() {
                    let a = a.expect("well-formed attribute");
                    let v = String::from_utf8(a.value.to_vec()).unwrap();
                    match a.key.as_ref() {
                        b"id" => anchors.push(v),
                        b"href" => links.push(v),
                        _ => {}
                    }
                }
            }
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(_) => {}
            Err(e) => panic!("not well-formed at {}: {e}", reader.error_position()),
        }
    }
    assert_eq!(depth, 0, "unbalanced elements");
    assert!(svgs >= 4, "{svgs} charts");
    // Every link is an anchor in the file, and flagged items link to their excerpts.
    for l in &links {
        let id = l.strip_prefix('#').expect("only in-page links");
        assert!(anchors.iter().any(|a| a == id), "dangling link {l}");
    }
    for n in 1..=9 {
        assert!(links.contains(&format!("#x{n}")), "no link to excerpt {n}");
        assert!(anchors.contains(&format!("x{n}")), "no excerpt {n}");
    }
    // Self-contained.
    for bad in [
        "http://", "https://", "src=", "<link", "@import", "url(", "<script",
    ] {
        assert!(!html.contains(bad), "the report contains {bad}");
    }
    assert!(html.contains("@media print"));
    // The deviating profile is flagged and the test is stated.
    assert!(html.contains("|z| &gt; 1.96"));
    assert!(html.contains("New York | Neurology"));
}

#[test]
fn csv_tables_have_one_row_per_item_and_finding() {
    let dir = tempfile::tempdir().unwrap();
    let out = imrlint()
        .current_dir(root())
        .args(["audit", "fixtures/audit", "--format", "csv", "--csv-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let items = std::fs::read_to_string(dir.path().join("items.csv")).unwrap();
    let findings = std::fs::read_to_string(dir.path().join("findings.csv")).unwrap();
    assert_eq!(items.lines().count(), 1 + 48);
    assert_eq!(findings.lines().count(), 1 + 9);
    assert!(items
        .lines()
        .next()
        .unwrap()
        .starts_with("path,item,request,class,decision"));
    let p3 = items
        .lines()
        .find(|l| l.contains("p3-06-mri-prog-upheld"))
        .unwrap();
    assert!(
        p3.contains(",upheld,overturned,no,2015-04-15,2015-04,Arizona,"),
        "{p3}"
    );
    // --format csv without a directory is a usage error.
    let out = imrlint()
        .current_dir(root())
        .args(["audit", "fixtures/audit", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn human_tables_name_every_section() {
    let out = imrlint()
        .current_dir(root())
        .args(["audit", "fixtures/audit"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for s in [
        "RULES",
        "REQUEST CLASSES",
        "REVIEWER PROFILES",
        "SPECIALTIES",
        "AGREEMENT",
        "SIMILAR CASES DECIDED DIFFERENTLY (5 of 7 groups)",
        "DECISIONS BY MONTH",
        "|z| > 1.96",
    ] {
        assert!(text.contains(s), "no {s} in\n{text}");
    }
    assert!(text.contains("New York | Neurology"));
    let ny = text
        .lines()
        .find(|l| l.starts_with("New York | Neurology"))
        .unwrap();
    assert!(ny.ends_with("FLAG"), "{ny}");
}

/// `evaluate_detailed` gives `evaluate`'s findings, and its outcomes agree with them.
#[test]
fn detailed_evaluation_keeps_the_findings() {
    use imrlint::eval::{evaluate, evaluate_detailed};
    let pack = imrlint::rules::Pack::default_rules().unwrap();
    for dir in ["fixtures/audit", "fixtures/layout-a"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let case = imrlint::letter::parse_text(&text);
            let plain = evaluate(&case, &pack);
            let d = evaluate_detailed(&case, &pack);
            assert_eq!(plain.findings, d.evaluation.findings, "{}", p.display());
            assert_eq!(d.items.len(), case.items.len());
            let fired: usize = d
                .items
                .iter()
                .map(|o| o.rules.iter().filter(|r| r.fired).count())
                .sum();
            let on_items = plain.findings.iter().filter(|f| f.item.is_some()).count();
            assert!(fired <= on_items, "{}", p.display());
        }
    }
}
