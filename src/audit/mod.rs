//! `imrlint audit`: reviewer consistency across a batch of letters.
//!
//! The audit streams: files are checked in small parallel chunks and each result is folded
//! into counters ([`Audit::add`]) and dropped. What grows with the batch is bounded: the
//! keys of the tables (rules, request classes, reviewer profiles, specialties, months,
//! fact groups), at most [`Options::max_examples`] items listed per outcome of each
//! "similar cases" group, and at most [`Options::max_excerpts`] letter excerpts. Items
//! and findings tables for spreadsheets are written row by row as files are read.

pub mod csv;
pub mod html;
pub mod report;
pub mod stats;
pub mod table;

use crate::check::{check_path_detailed, FileResult};
use crate::eval::ItemOutcome;
use crate::input::discover;
use crate::letter::Decision;
use crate::rules::model::Kind;
use crate::rules::Pack;
use crate::span::LineIndex;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub use report::AuditReport;

/// Output format of `imrlint audit` on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// Aligned terminal tables.
    Human,
    /// One JSON document with every figure.
    Json,
    /// `items.csv` and `findings.csv` in `--csv-dir`.
    Csv,
}

/// What to keep and write.
#[derive(Debug, Clone)]
pub struct Options {
    /// Letter excerpts kept for the HTML report (the first N findings on items).
    pub max_excerpts: usize,
    /// Items listed per outcome of each "similar cases" group.
    pub max_examples: usize,
    /// Characters of letter text kept per excerpt.
    pub excerpt_chars: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_excerpts: 500,
            max_examples: 25,
            excerpt_chars: 300,
        }
    }
}

/// Findings counted by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KindCounts {
    pub decision: u64,
    pub citation: u64,
    pub contradiction: u64,
    pub grounding: u64,
    pub format: u64,
}

pub const KINDS: [Kind; 5] = [
    Kind::Decision,
    Kind::Citation,
    Kind::Contradiction,
    Kind::Grounding,
    Kind::Format,
];

impl KindCounts {
    pub fn add(&mut self, k: Kind) {
        *self.get_mut(k) += 1;
    }
    fn get_mut(&mut self, k: Kind) -> &mut u64 {
        match k {
            Kind::Decision => &mut self.decision,
            Kind::Citation => &mut self.citation,
            Kind::Contradiction => &mut self.contradiction,
            Kind::Grounding => &mut self.grounding,
            Kind::Format => &mut self.format,
        }
    }
    pub fn get(&self, k: Kind) -> u64 {
        match k {
            Kind::Decision => self.decision,
            Kind::Citation => self.citation,
            Kind::Contradiction => self.contradiction,
            Kind::Grounding => self.grounding,
            Kind::Format => self.format,
        }
    }
    pub fn total(&self) -> u64 {
        KINDS.iter().map(|k| self.get(*k)).sum()
    }
}

/// Items, decisions and findings of one group (a request class, profile, month...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub items: u64,
    pub upheld: u64,
    pub overturned: u64,
    /// Items whose decision could not be read.
    pub undecided: u64,
    /// Items with at least one finding.
    pub items_with_findings: u64,
    /// Findings on these items, by kind.
    pub findings: KindCounts,
}

impl Counts {
    fn add(&mut self, d: Option<Decision>, kinds: &[Kind]) {
        self.items += 1;
        match d {
            Some(Decision::Upheld) => self.upheld += 1,
            Some(Decision::Overturned) => self.overturned += 1,
            None => self.undecided += 1,
        }
        if !kinds.is_empty() {
            self.items_with_findings += 1;
        }
        for k in kinds {
            self.findings.add(*k);
        }
    }
    pub fn decided(&self) -> u64 {
        self.upheld + self.overturned
    }
}

/// Per rule: items it applied to, `when` held, findings (inconsistent).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RuleCounts {
    pub applied: u64,
    pub held: u64,
    pub fired: u64,
}

/// One item, as listed in a "similar cases" group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemRef {
    pub path: String,
    pub item: usize,
    pub request: String,
    /// Id of its first stored excerpt in the HTML report, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<usize>,
}

/// Items of one request class that present the same facts to the rules.
#[derive(Debug, Clone, Default)]
pub struct SimilarGroup {
    pub upheld: u64,
    pub overturned: u64,
    pub upheld_items: Vec<ItemRef>,
    pub overturned_items: Vec<ItemRef>,
}

/// The letter text around one finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excerpt {
    pub id: usize,
    pub path: String,
    pub item: Option<usize>,
    pub request: String,
    pub rule: String,
    pub kind: Kind,
    pub message: String,
    pub line: usize,
    pub column: usize,
    /// Text before the finding's span, the span, and after (together at most
    /// `excerpt_chars` characters).
    pub before: String,
    pub text: String,
    pub after: String,
}

/// Agreement between implied and actual decisions.
#[derive(Debug, Clone, Default)]
pub struct AgreementCounts {
    pub table: stats::Table2,
    /// Decided items to which no decision rule implied a decision.
    pub no_implication: u64,
    /// Items whose applicable rules implied both decisions (left out of the table).
    pub conflicting: u64,
    /// Items with an implied decision whose own decision could not be read.
    pub undecided: u64,
}

/// The running aggregates of an audit.
#[derive(Debug)]
pub struct Audit {
    pub options: Options,
    pub files: u64,
    pub letters: u64,
    pub unreadable: u64,
    pub skipped: u64,
    pub batch: Counts,
    /// Findings not attached to an item (a whole file unreadable), by kind.
    pub findings_without_item: KindCounts,
    /// Indexed like `Pack::rules`.
    pub rules: Vec<RuleCounts>,
    pub classes: BTreeMap<String, Counts>,
    /// Profile key -> (licensure, specialties, counts).
    pub profiles: BTreeMap<String, (String, Vec<String>, Counts)>,
    pub specialties: BTreeMap<String, Counts>,
    pub agreement: AgreementCounts,
    pub agreement_by_class: BTreeMap<String, AgreementCounts>,
    pub similar: BTreeMap<(String, Vec<String>), SimilarGroup>,
    pub months: BTreeMap<String, Counts>,
    pub undated: Counts,
    pub excerpts: Vec<Excerpt>,
    pub excerpts_dropped: u64,
    csv: Option<csv::CsvSink>,
}

/// The request class id of an item, or this when it matched none.
pub const UNCLASSIFIED: &str = "(unclassified)";
/// The profile of a letter that states no credentials.
pub const UNKNOWN: &str = "(not stated)";

/// A reviewer profile: licensure state and specialties as the letter states them,
/// trimmed, specialties sorted and de-duplicated. Key: `"State | Spec A; Spec B"`.
pub fn profile_of(case: &crate::letter::Case) -> (String, String, Vec<String>) {
    let state = case
        .reviewer
        .licensure
        .as_ref()
        .map(|f| squash(&f.text))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| UNKNOWN.to_string());
    let mut specs: Vec<String> = case
        .reviewer
        .specialties
        .iter()
        .map(|f| squash(&f.text))
        .filter(|s| !s.is_empty())
        .collect();
    specs.sort();
    specs.dedup();
    let spec_text = if specs.is_empty() {
        UNKNOWN.to_string()
    } else {
        specs.join("; ")
    };
    (format!("{state} | {spec_text}"), state, specs)
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Audit {
    pub fn new(pack: &Pack, options: Options) -> Self {
        Audit {
            options,
            files: 0,
            letters: 0,
            unreadable: 0,
            skipped: 0,
            batch: Counts::default(),
            findings_without_item: KindCounts::default(),
            rules: vec![RuleCounts::default(); pack.rules.len()],
            classes: BTreeMap::new(),
            profiles: BTreeMap::new(),
            specialties: BTreeMap::new(),
            agreement: AgreementCounts::default(),
            agreement_by_class: BTreeMap::new(),
            similar: BTreeMap::new(),
            months: BTreeMap::new(),
            undated: Counts::default(),
            excerpts: Vec::new(),
            excerpts_dropped: 0,
            csv: None,
        }
    }

    /// Writes `items.csv` and `findings.csv` into `dir` as files are added.
    pub fn with_csv(mut self, dir: &std::path::Path) -> std::io::Result<Self> {
        self.csv = Some(csv::CsvSink::create(dir)?);
        Ok(self)
    }

    /// Folds one checked file into the aggregates.
    pub fn add(&mut self, r: &FileResult, outcomes: &[ItemOutcome], pack: &Pack) {
        self.files += 1;
        let Some(case) = r.case.as_ref().filter(|_| r.is_letter()) else {
            self.unreadable += 1;
            for f in &r.findings {
                self.findings_without_item.add(f.kind);
            }
            return;
        };
        self.letters += 1;
        let (profile, state, specs) = profile_of(case);
        let month = case
            .header
            .decision_date
            .as_ref()
            .and_then(|d| d.date.get(..7))
            .map(str::to_string);
        let index = LineIndex::new(&r.source);
        for f in r.findings.iter().filter(|f| f.item.is_none()) {
            self.findings_without_item.add(f.kind);
        }
        for (i, item) in case.items.iter().enumerate() {
            let class = r
                .classes
                .get(i)
                .cloned()
                .flatten()
                .unwrap_or_else(|| UNCLASSIFIED.to_string());
            let decision = item.decision.as_ref().map(|d| d.value);
            let findings: Vec<&crate::eval::Finding> = r
                .findings
                .iter()
                .filter(|f| f.item == Some(item.n))
                .collect();
            let kinds: Vec<Kind> = findings.iter().map(|f| f.kind).collect();
            self.batch.add(decision, &kinds);
            self.classes
                .entry(class.clone())
                .or_default()
                .add(decision, &kinds);
            self.profiles
                .entry(profile.clone())
                .or_insert_with(|| (state.clone(), specs.clone(), Counts::default()))
                .2
                .add(decision, &kinds);
            if specs.is_empty() {
                self.specialties
                    .entry(UNKNOWN.into())
                    .or_default()
                    .add(decision, &kinds);
            }
            for s in &specs {
                self.specialties
                    .entry(s.clone())
                    .or_default()
                    .add(decision, &kinds);
            }
            match &month {
                Some(m) => self
                    .months
                    .entry(m.clone())
                    .or_default()
                    .add(decision, &kinds),
                None => self.undated.add(decision, &kinds),
            }
            // Rules and agreement.
            let outcome = outcomes.get(i);
            let mut implied: Option<Decision> = None;
            let mut conflict = false;
            if let Some(o) = outcome {
                for ro in &o.rules {
                    let c = &mut self.rules[ro.rule];
                    c.applied += 1;
                    c.held += ro.held as u64;
                    c.fired += ro.fired as u64;
                }
                for d in o.implied(pack) {
                    match implied {
                        None => implied = Some(d),
                        Some(p) if p != d => conflict = true,
                        _ => {}
                    }
                }
            }
            let by_class = self.agreement_by_class.entry(class.clone()).or_default();
            for a in [&mut self.agreement, by_class] {
                match (implied, decision) {
                    _ if conflict => a.conflicting += 1,
                    (None, Some(_)) => a.no_implication += 1,
                    (None, None) => {}
                    (Some(_), None) => a.undecided += 1,
                    (Some(i), Some(d)) => a.table.add(i == Decision::Upheld, d == Decision::Upheld),
                }
            }
            // Excerpts of the item's findings.
            let mut first_excerpt = None;
            for f in &findings {
                if self.excerpts.len() >= self.options.max_excerpts {
                    self.excerpts_dropped += 1;
                    continue;
                }
                let id = self.excerpts.len() + 1;
                first_excerpt.get_or_insert(id);
                let (line, column) = index.line_col(&r.source, f.span.start);
                let (before, text, after) = excerpt(
                    &r.source,
                    f.span.start,
                    f.span.end,
                    self.options.excerpt_chars,
                );
                self.excerpts.push(Excerpt {
                    id,
                    path: r.path.clone(),
                    item: f.item,
                    request: item.request.text.clone(),
                    rule: f.rule.clone(),
                    kind: f.kind,
                    message: f.message.clone(),
                    line,
                    column,
                    before,
                    text,
                    after,
                });
            }
            // Similar cases.
            let facts = outcome.map(|o| o.facts_used.clone()).unwrap_or_default();
            if let Some(d) = decision {
                let max = self.options.max_examples;
                let g = self
                    .similar
                    .entry((class.clone(), facts.clone()))
                    .or_default();
                let (n, list) = match d {
                    Decision::Upheld => (&mut g.upheld, &mut g.upheld_items),
                    Decision::Overturned => (&mut g.overturned, &mut g.overturned_items),
                };
                *n += 1;
                if list.len() < max {
                    list.push(ItemRef {
                        path: r.path.clone(),
                        item: item.n,
                        request: item.request.text.clone(),
                        excerpt: first_excerpt,
                    });
                }
            }
            if let Some(sink) = self.csv.as_mut() {
                sink.item(&csv::ItemRow {
                    path: &r.path,
                    item: item.n,
                    request: &item.request.text,
                    class: &class,
                    decision,
                    implied: if conflict { None } else { implied },
                    conflict,
                    decision_date: case.header.decision_date.as_ref().map(|d| d.date.as_str()),
                    licensure: &state,
                    specialties: &specs,
                    profile: &profile,
                    findings: &findings,
                    facts: &facts,
                });
                for f in &findings {
                    let (line, column) = index.line_col(&r.source, f.span.start);
                    sink.finding(&r.path, &class, &profile, f, line, column);
                }
            }
        }
    }

    /// Flushes the CSV files, if any.
    pub fn finish(&mut self) -> std::io::Result<()> {
        match self.csv.as_mut() {
            Some(s) => s.flush(),
            None => Ok(()),
        }
    }
}

/// At most about `max` characters around `[start, end)`: the span (cut at a third of
/// `max`), half of the rest before it and the rest after, whitespace squashed.
fn excerpt(src: &str, start: usize, end: usize, max: usize) -> (String, String, String) {
    let mut start = start.min(src.len());
    while !src.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = end.clamp(start, src.len());
    while !src.is_char_boundary(end) {
        end -= 1;
    }
    let body = squash(&src[start..end].chars().take(max / 3).collect::<String>());
    let room = max.saturating_sub(body.chars().count());
    let mut before: Vec<char> = src[..start].chars().rev().take(room / 2).collect();
    before.reverse();
    let before = squash(&before.into_iter().collect::<String>());
    let after_room = room.saturating_sub(before.chars().count());
    let after = squash(&src[end..].chars().take(after_room).collect::<String>());
    let before = if before.is_empty() {
        before
    } else {
        format!("{before} ")
    };
    let after = if after.is_empty() {
        after
    } else {
        format!(" {after}")
    };
    (before, body, after)
}

/// Checks every letter under `paths` and folds it into an audit, in path order, with one
/// worker thread per core; only a few letters per worker are in memory at once.
pub fn run(paths: &[PathBuf], pack: &Pack, audit: &mut Audit) {
    let discovery = discover(paths);
    audit.skipped += discovery.skipped.len() as u64;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let files = &discovery.files;
    if threads == 1 || files.len() < 2 {
        for p in files {
            let (r, o) = check_path_detailed(p, pack);
            audit.add(&r, &o, pack);
        }
    } else {
        // A fixed set of workers; worker w checks files w, w + n, w + 2n, ... and hands
        // each result over a channel that holds at most two, so at most about 3n letters
        // are in memory. The results are folded in path order, taking file k from worker
        // k mod n.
        std::thread::scope(|s| {
            let receivers: Vec<_> = (0..threads)
                .map(|w| {
                    let (tx, rx) = std::sync::mpsc::sync_channel(2);
                    s.spawn(move || {
                        for p in files.iter().skip(w).step_by(threads) {
                            if tx.send(check_path_detailed(p, pack)).is_err() {
                                break;
                            }
                        }
                    });
                    rx
                })
                .collect();
            for k in 0..files.len() {
                let (r, o) = receivers[k % threads]
                    .recv()
                    .expect("audit worker stopped early");
                audit.add(&r, &o, pack);
            }
        });
    }
    for (p, why) in &discovery.unreadable {
        let r = FileResult::unreadable(
            &p.display().to_string(),
            "format/unreadable",
            format!("cannot read: {why}"),
        );
        audit.add(&r, &[], pack);
    }
}

/// `imrlint audit`: runs the audit and writes the requested outputs. Returns the exit
/// code (0), or an error message for exit 2.
pub fn run_cli(
    paths: &[PathBuf],
    pack: &Pack,
    options: Options,
    format: AuditFormat,
    csv_dir: Option<&std::path::Path>,
    html: Option<&std::path::Path>,
) -> Result<u8, String> {
    use std::io::Write;
    if format == AuditFormat::Csv && csv_dir.is_none() {
        return Err(
            "--format csv needs --csv-dir DIR (where items.csv and findings.csv go)".into(),
        );
    }
    let mut audit = Audit::new(pack, options);
    if let Some(dir) = csv_dir {
        audit = audit
            .with_csv(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    run(paths, pack, &mut audit);
    audit.finish().map_err(|e| e.to_string())?;
    let report = audit.report(pack);
    if let Some(file) = html {
        std::fs::write(file, html::render(&report))
            .map_err(|e| format!("{}: {e}", file.display()))?;
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        AuditFormat::Human => write!(out, "{}", table::human(&report)),
        AuditFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        ),
        AuditFormat::Csv => {
            let dir = csv_dir.map(|d| d.display().to_string()).unwrap_or_default();
            eprintln!(
                "imrlint: wrote {dir}/items.csv ({} items) and {dir}/findings.csv ({} findings)",
                report.batch.counts.items, report.batch.counts.findings_total
            );
            Ok(())
        }
    }
    .and_then(|_| out.flush())
    .map_err(|e| e.to_string())?;
    Ok(0)
}
