//! `imrlint check`: configuration, rule packs, discovery, parallel evaluation, rule
//! levels, baselines and the report, written to stdout or atomically to a file.

use crate::baseline::{self, Baseline};
use crate::check::{check_parsed, check_path_for_rules, parse_path, FileResult, Parsed};
use crate::config::{self, Config, Level};
use crate::input::{discover_filtered, Discovery, Found};
use crate::letter::Reading;
use crate::report::model::FileCount;
use crate::report::{self, sarif::FORMAT_RULES, FileReport, Format, HumanOptions, Summary};
use crate::rules::error::RuleDiagnostic;
use crate::rules::{self, Pack, RuleError};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Exit code: at least one error-level finding (or warning, with `--deny warnings`).
pub const EXIT_FINDINGS: u8 = 1;

/// Batches longer than this get a progress bar (on a terminal, outside CI).
pub const PROGRESS_MIN_FILES: usize = 50;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    Warnings,
}

/// The options of `imrlint check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// Letters or directories (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// A rule pack directory to add; its definitions replace same-id ones (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Do not load the default rule pack compiled into imrlint.
    #[arg(long)]
    pub no_default_rules: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Write the report to FILE (atomically: a temporary file, then a rename).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 on warnings too.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
    /// Colour and graphics in human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: Color,
    /// Print findings only: no summary line, no progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// The configuration file (default: imrlint.yaml in the current directory or a parent).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Report only findings that this baseline file does not record.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every current finding in FILE, then report as if it were the baseline.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Print how often each rule fired instead of the findings.
    #[arg(long)]
    pub statistics: bool,
}

/// Renders rule-pack or configuration errors on stderr with their YAML snippet.
pub fn print_rule_errors(errors: &[RuleError]) {
    let handler = miette::GraphicalReportHandler::new_themed(if std::io::stderr().is_terminal() {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    })
    .with_links(false);
    let mut stderr = std::io::stderr().lock();
    for e in errors {
        let mut s = String::new();
        if handler
            .render_report(&mut s, &RuleDiagnostic::new(e))
            .is_err()
        {
            s = format!("{e}\n");
        }
        let _ = writeln!(stderr, "{s}");
    }
}

/// Loads the default pack (unless `no_default`) and the given directories, in order;
/// prints every rule error as a diagnostic.
pub fn load_pack(dirs: &[PathBuf], no_default: bool) -> Result<Pack, String> {
    let mut sources = Vec::new();
    if !no_default {
        sources.push(rules::default_pack());
    }
    for dir in dirs {
        sources.push(rules::read_pack_dir(dir)?);
    }
    if sources.is_empty() {
        return Err("no rule pack: give --rules DIR or drop --no-default-rules".into());
    }
    rules::load(&sources).map_err(|errors| {
        print_rule_errors(&errors);
        format!(
            "the rule pack has {} error(s); nothing was linted",
            errors.len()
        )
    })
}

/// Turns rules off or re-levels them in the pack, so that off rules are not evaluated
/// and SARIF's rule metadata shows the configured level.
pub fn apply_levels_to_pack(pack: &mut Pack, levels: &BTreeMap<String, Level>) {
    pack.rules
        .retain(|r| levels.get(&r.def.id) != Some(&Level::Off));
    for r in &mut pack.rules {
        if let Some(s) = levels.get(&r.def.id).and_then(|l| l.severity()) {
            r.def.severity = s;
        }
    }
}

/// The same for findings (format findings have no rule in the pack).
pub fn apply_levels(results: &mut [FileResult], levels: &BTreeMap<String, Level>) {
    if levels.is_empty() {
        return;
    }
    for r in results {
        r.findings.retain_mut(|f| match levels.get(&f.rule) {
            None => true,
            Some(l) => match l.severity() {
                None => false,
                Some(s) => {
                    f.severity = s;
                    true
                }
            },
        });
    }
}

/// A one-letter run reads and parses its letter on a second thread while the rule pack
/// loads: the two take about as long.
/// A batch has none, and its files go straight to [`check_path_for_rules`].
#[derive(Default)]
pub struct Prefetch(Option<std::sync::Mutex<Option<Pending>>>);

/// The letter being parsed ahead, and where its parse will arrive.
type Pending = (PathBuf, std::sync::mpsc::Receiver<Parsed>);

impl Prefetch {
    /// Starts parsing `path` now; then builds the regexes the rules' facts need and the
    /// default concept patterns the letter may need (the thread goes on with those after
    /// handing the parse over).
    pub fn start(path: &Path) -> Self {
        let owned = path.to_path_buf();
        let (send, receive) = std::sync::mpsc::sync_channel(1);
        std::thread::spawn(move || {
            let parsed = parse_path(&owned, Reading::ForRules);
            let source = match &parsed {
                Parsed::Case { source, .. } => Some(source.clone()),
                Parsed::Unread(_) => None,
            };
            let _ = send.send(parsed);
            // What the check will need, while the pack loads: the regexes that count
            // visits in the narrative (nearly every letter searches them), then the
            // concept patterns the letter can need; the check builds any it reaches
            // first itself. (The other facts regexes are left to the check: their guards
            // rule most of them out.)
            crate::facts::extract::num_patterns().build_narrative();
            if let Some(source) = source {
                crate::rules::load::precompile_default_patterns(&source);
            }
        });
        Prefetch(Some(std::sync::Mutex::new(Some((
            path.to_path_buf(),
            receive,
        )))))
    }

    /// Checks `path`, from its prefetched parse if it has one.
    pub fn check(&self, path: &Path, pack: &Pack) -> FileResult {
        let pending = self
            .0
            .as_ref()
            .and_then(|m| m.lock().ok())
            .and_then(|mut p| p.take_if(|(q, _)| q == path));
        match pending.and_then(|(_, r)| r.recv().ok()) {
            Some(parsed) => {
                if let Parsed::Case { source, case, .. } = &parsed {
                    pack.restrict_to_letter(&crate::facts::extract::letter_trigrams(source, case));
                }
                check_parsed(parsed, pack, false).0
            }
            None => check_path_for_rules(path, pack),
        }
    }
}

/// Checks every discovered file, in parallel; results in path order whatever the number
/// of threads.
pub fn evaluate(
    discovery: &Discovery,
    pack: &Pack,
    threads: Option<usize>,
    progress: bool,
    prefetch: &Prefetch,
) -> Result<Vec<FileResult>, String> {
    let bar = if progress {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(discovery.files.len() as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} letters",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let check_one = |p: &PathBuf| {
        let r = prefetch.check(p, pack);
        bar.inc(1);
        r
    };
    // One letter needs no worker threads; starting them costs more than the letter.
    let mut results: Vec<FileResult> = if discovery.files.len() < 2 {
        discovery.files.iter().map(check_one).collect()
    } else {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.unwrap_or(0))
            .build()
            .map_err(|e| format!("cannot start worker threads: {e}"))?
            .install(|| {
                discovery
                    .files
                    .par_iter()
                    .with_max_len(LETTERS_PER_TASK)
                    .map(check_one)
                    .collect()
            })
    };
    bar.finish_and_clear();
    for (p, why) in &discovery.unreadable {
        results.push(FileResult::unreadable(
            &p.display().to_string(),
            "format/unreadable",
            format!("cannot read: {why}"),
        ));
    }
    // Path order (component by component), the order a sorted walk produces.
    results.sort_by(|x, y| Path::new(&x.path).cmp(Path::new(&y.path)));
    Ok(results)
}

/// Whether to draw a progress bar: a long batch, stderr a terminal, not in CI.
fn show_progress(files: usize, quiet: bool) -> bool {
    !quiet
        && files > PROGRESS_MIN_FILES
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, flushed,
/// then renamed over the target, so a reader never sees half a report.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| format!("{}: not a file name", path.display()))?
        .to_string_lossy();
    let err = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    for attempt in 0..100u32 {
        let tmp = dir.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
        let mut f = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(err(e)),
        };
        let done = f
            .write_all(bytes)
            .and_then(|_| f.sync_all())
            .and_then(|_| std::fs::rename(&tmp, path));
        if let Err(e) = done {
            let _ = std::fs::remove_file(&tmp);
            return Err(err(e));
        }
        return Ok(());
    }
    Err(format!(
        "cannot write {}: no free temporary name",
        path.display()
    ))
}

/// The directory a baseline's paths are relative to.
fn baseline_root(file: &Path) -> PathBuf {
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    abs.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Whether a check reads one letter (one path, a file): such a run tunes itself for
/// building little, not for going through many letters.
pub fn is_one_letter(a: &CheckArgs) -> bool {
    matches!(a.paths.as_slice(), [one] if one.is_file())
}

/// Runs `imrlint check`; returns the exit code, or an error message (exit 2).
pub fn check(a: CheckArgs) -> Result<u8, String> {
    // A single letter is parsed on a second core while the rule pack loads; a batch
    // builds the parsers' regexes there.
    let prefetch = if is_one_letter(&a) {
        crate::tune_for_one_letter();
        Prefetch::start(&a.paths[0])
    } else {
        std::thread::spawn(crate::warm_up);
        Prefetch::default()
    };
    let cwd = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    let config = if a.no_config {
        Config::none(cwd.clone())
    } else {
        config::load(a.config.as_deref(), &cwd).map_err(|errors| {
            print_rule_errors(&errors);
            "invalid configuration; nothing was linted".to_string()
        })?
    };
    let mut dirs = config.rule_dirs.clone();
    dirs.extend(a.rules.iter().cloned());
    let mut pack = load_pack(&dirs, a.no_default_rules || !config.default_rules)?;
    let known: Vec<&str> = pack
        .rules
        .iter()
        .map(|r| r.def.id.as_str())
        .chain(FORMAT_RULES.iter().map(|(id, _)| *id))
        .collect();
    config
        .check_rule_ids(known.iter().copied())
        .map_err(|errors| {
            print_rule_errors(&errors);
            "invalid configuration; nothing was linted".to_string()
        })?;
    apply_levels_to_pack(&mut pack, &config.levels);
    let result = check_with_pack(&a, &config, &pack, &prefetch);
    // The command ends here (this is the CLI's entry point): freeing the pack's tables
    // and automata one allocation at a time would only delay the exit.
    std::mem::forget(pack);
    result
}

fn check_with_pack(
    a: &CheckArgs,
    config: &Config,
    pack: &Pack,
    prefetch: &Prefetch,
) -> Result<u8, String> {
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        a.paths.clone()
    };

    let filter = |p: &Path| config.filter.skip_reason(p);

    // Fingerprints are relative to the baseline file when there is one, else to the
    // configuration file's directory (or the working directory).
    let fp_root = match (&a.write_baseline, &a.baseline) {
        (Some(f), _) | (None, Some(f)) => baseline_root(f),
        _ => config.root.clone(),
    };
    let deny_warnings = a.deny.is_some() || config.deny_warnings;
    // Line-oriented output to stdout is written file by file, so memory stays flat however
    // large the batch.
    let streamable = matches!(a.format, Format::Jsonl | Format::Concise)
        && a.output.is_none()
        && a.write_baseline.is_none()
        && !a.statistics;
    if streamable {
        let known = match &a.baseline {
            Some(file) => Some(Baseline::read(file)?),
            None => None,
        };
        let run = StreamRun {
            pack,
            prefetch,
            config,
            a,
            known: known.as_ref(),
            fp_root: &fp_root,
        };
        let summary = if paths.len() == 1 && paths[0].is_dir() {
            // One folder: walk and check at once, never holding the list of paths.
            run.stream(None, |send| {
                let mut chunk = Chunk::default();
                let mut open = true;
                crate::input::walk_visit(&paths[0], &filter, &mut |found| {
                    if !open {
                        return;
                    }
                    match found {
                        Found::File(p) => chunk.items.push(Item::File(p)),
                        Found::Unreadable(p, why) => chunk.items.push(Item::Unreadable(p, why)),
                        Found::Skipped(..) => chunk.skipped += 1,
                    }
                    if chunk.items.len() == STREAM_CHUNK {
                        open = send(std::mem::take(&mut chunk));
                    }
                });
                if open {
                    send(chunk);
                }
            })?
        } else {
            let discovery = discover_filtered(&paths, &filter);
            let progress = show_progress(discovery.files.len(), a.quiet);
            let mut items: Vec<Item> = discovery
                .files
                .iter()
                .map(|p| Item::File(p.clone()))
                .chain(
                    discovery
                        .unreadable
                        .iter()
                        .map(|(p, why)| Item::Unreadable(p.clone(), why.clone())),
                )
                .collect();
            items.sort_by(|x, y| x.path().cmp(y.path()));
            let total = progress.then_some(items.len());
            let mut skipped = discovery.skipped.len();
            run.stream(total, move |send| {
                let mut items = items.into_iter().peekable();
                while items.peek().is_some() {
                    let chunk = Chunk {
                        items: items.by_ref().take(STREAM_CHUNK).collect(),
                        skipped: std::mem::take(&mut skipped),
                    };
                    if !send(chunk) {
                        return;
                    }
                }
                send(Chunk {
                    items: vec![],
                    skipped,
                });
            })?
        };
        let failing = summary.findings.error > 0 || (deny_warnings && summary.findings.warning > 0);
        return Ok(if failing { EXIT_FINDINGS } else { 0 });
    }
    let discovery = discover_filtered(&paths, &filter);
    let progress = show_progress(discovery.files.len(), a.quiet);
    let mut results = evaluate(&discovery, pack, a.threads, progress, prefetch)?;
    apply_levels(&mut results, &config.levels);

    let mut fps: Vec<Vec<String>> = results
        .iter()
        .map(|r| baseline::fingerprints(r, &fp_root))
        .collect();
    let known_findings = if let Some(file) = &a.write_baseline {
        let b = Baseline::from_results(&results, &fps, &fp_root);
        write_atomic(file, b.to_json().as_bytes())?;
        if !a.quiet {
            eprintln!(
                "imrlint: recorded {} finding(s) in the baseline {}",
                b.findings.len(),
                file.display()
            );
        }
        Some(b)
    } else if let Some(file) = &a.baseline {
        Some(Baseline::read(file)?)
    } else {
        None
    };
    let mut baselined = 0;
    if let Some(b) = &known_findings {
        let set = b.set();
        for (r, fp) in results.iter_mut().zip(fps.iter_mut()) {
            baselined += baseline::drop_known(r, fp, &set);
        }
    }

    let reports: Vec<FileReport> = results
        .iter()
        .zip(&fps)
        .map(|(r, fp)| FileReport::with_fingerprints(r, fp))
        .collect();
    let mut summary = Summary::new(&reports, discovery.skipped.len());
    summary.baselined = baselined;

    let to_terminal = a.output.is_none() && std::io::stdout().is_terminal();
    let graphical = match a.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => to_terminal,
    };
    let human = HumanOptions {
        graphical,
        color: graphical
            && (a.color == Color::Always || to_terminal)
            && std::env::var_os("NO_COLOR").is_none(),
        quiet: a.quiet,
    };
    let run = report::Run {
        results: &results,
        reports: &reports,
        summary: &summary,
        pack,
        levels: &config.levels,
        human,
        statistics: a.statistics,
    };
    match &a.output {
        Some(file) => {
            let mut buf = Vec::new();
            report::write(&mut buf, a.format, &run).map_err(|e| e.to_string())?;
            write_atomic(file, &buf)?;
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            report::write(&mut out, a.format, &run).map_err(|e| e.to_string())?;
            out.flush().map_err(|e| e.to_string())?;
        }
    }
    // Document formats keep stdout parseable: statistics and the summary go to stderr.
    let side_channel = a.format.is_document() || a.output.is_some();
    if side_channel && !a.quiet {
        let mut err = std::io::stderr().lock();
        if a.statistics && a.format.is_document() {
            let _ = report::statistics::write(&mut err, &reports);
        }
        if !matches!(a.format, Format::Json | Format::Jsonl) || a.output.is_some() {
            let _ = writeln!(err, "{}", summary.line());
        }
    }
    let failing = summary.findings.error > 0 || (deny_warnings && summary.findings.warning > 0);
    Ok(if failing { EXIT_FINDINGS } else { 0 })
}

/// Files per chunk handed to the worker threads while streaming: small enough that memory
/// does not grow with the run ([`CHUNKS_IN_FLIGHT`] chunks of reports at most), large
/// enough that handing chunks over costs next to nothing.
const STREAM_CHUNK: usize = 2048;

/// The most letters a worker checks as one task (well under a millisecond of work).
/// Rayon otherwise cuts a chunk into a few long runs of letters, and a worker that
/// finishes its runs has nothing left to take while the other is still in its last one.
/// With this and [`CHUNKS_IN_FLIGHT`], the processors' idle time in a 100,000-letter run
/// on two cores went from 0.36-0.52 s to about 0.05 s.
const LETTERS_PER_TASK: usize = 16;

/// Chunks handed to the worker threads and not yet written, in a streamed run: two, so
/// that the next chunk's letters are there to take while the last of one are checked.
const CHUNKS_IN_FLIGHT: usize = 2;

/// Chunks the walk finds ahead of the workers: enough to overlap, little memory.
const CHUNKS_FOUND_AHEAD: usize = 2;

/// A chunk of a streamed run, checked: its place in the run, each file's report (or the
/// error that stops the run) and how many files were passed over while finding it.
struct Checked {
    seq: usize,
    results: Result<Vec<Rendered>, String>,
    skipped: usize,
}

/// Puts back in order what arrives numbered 0, 1, 2... in any order.
struct InOrder<T> {
    next: usize,
    waiting: BTreeMap<usize, T>,
}

impl<T> Default for InOrder<T> {
    fn default() -> Self {
        InOrder {
            next: 0,
            waiting: BTreeMap::new(),
        }
    }
}

impl<T> InOrder<T> {
    fn push(&mut self, seq: usize, value: T) {
        self.waiting.insert(seq, value);
    }

    /// The next value in order, once it has arrived.
    fn pop(&mut self) -> Option<T> {
        let value = self.waiting.remove(&self.next)?;
        self.next += 1;
        Some(value)
    }
}

/// An input of a streamed run.
enum Item {
    File(PathBuf),
    Unreadable(PathBuf, String),
}

impl Item {
    fn path(&self) -> &Path {
        match self {
            Item::File(p) | Item::Unreadable(p, _) => p,
        }
    }
}

/// A chunk of a streamed run: files to check, and how many were passed over while
/// finding them.
#[derive(Default)]
struct Chunk {
    items: Vec<Item>,
    skipped: usize,
}

/// A batch checked and written file by file (JSON Lines or concise), in path order,
/// keeping only the summary. Finding files, checking them and writing the results are
/// three stages that overlap: while the workers check one chunk (and the next, queued
/// behind it), the one after is found and the one before written.
struct StreamRun<'r> {
    pack: &'r Pack,
    prefetch: &'r Prefetch,
    config: &'r Config,
    a: &'r CheckArgs,
    known: Option<&'r Baseline>,
    fp_root: &'r Path,
}

impl StreamRun<'_> {
    /// Runs the chunks `produce` sends (it stops when `send` returns false); `progress`
    /// is the number of files, when a progress bar is to be drawn.
    fn stream(
        &self,
        progress: Option<usize>,
        produce: impl FnOnce(&mut dyn FnMut(Chunk) -> bool) + Send,
    ) -> Result<Summary, String> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.a.threads.unwrap_or(0))
            .build()
            .map_err(|e| format!("cannot start worker threads: {e}"))?;
        let bar = match progress {
            Some(n) => indicatif::ProgressBar::with_draw_target(
                Some(n as u64),
                indicatif::ProgressDrawTarget::stderr(),
            ),
            None => indicatif::ProgressBar::hidden(),
        };
        let pack = self.pack;
        let known: Option<std::collections::BTreeSet<&str>> = self.known.map(|b| b.set());
        let known = known.as_ref();
        std::thread::scope(|s| {
            let (chunk_tx, chunks) = std::sync::mpsc::sync_channel::<Chunk>(CHUNKS_FOUND_AHEAD);
            let (result_tx, results) = std::sync::mpsc::channel::<Checked>();
            // One permit per chunk given to the workers and not yet written: the main
            // thread takes one before it hands a chunk over, the writer gives one back
            // after writing a chunk. At most CHUNKS_IN_FLIGHT chunks are checked or
            // wait to be written at any time, so memory stays flat.
            let (permit_tx, permits) = std::sync::mpsc::sync_channel::<()>(CHUNKS_IN_FLIGHT);
            s.spawn(move || produce(&mut |c| chunk_tx.send(c).is_ok()));
            let writer = s.spawn(move || {
                let mut w = StreamWriter::new(self);
                // Chunks finish out of order; they are written in the order found.
                let mut in_order = InOrder::default();
                for checked in results {
                    in_order.push(checked.seq, checked);
                    while let Some(c) = in_order.pop() {
                        w.summary.skipped += c.skipped;
                        w.write(c.results?)?;
                        // Fails only once the main thread is done: no chunk waits then.
                        let _ = permits.recv();
                    }
                }
                w.finish()
            });
            // The next chunk's letters are queued while the last letters of the one
            // before are checked: a worker always finds letters to take, and no chunk
            // waits for the main thread to hand over the next.
            pool.in_place_scope(|scope| {
                for (seq, chunk) in chunks.into_iter().enumerate() {
                    // Fails only once the writer has stopped (on an error it returns).
                    if permit_tx.send(()).is_err() {
                        break;
                    }
                    let result_tx = result_tx.clone();
                    let bar = &bar;
                    scope.spawn(move |_| {
                        let results = chunk
                            .items
                            .par_iter()
                            .with_max_len(LETTERS_PER_TASK)
                            .map(|item| {
                                let r = match item {
                                    Item::File(p) => self.prefetch.check(p, pack),
                                    Item::Unreadable(p, why) => FileResult::unreadable(
                                        &p.display().to_string(),
                                        "format/unreadable",
                                        format!("cannot read: {why}"),
                                    ),
                                };
                                bar.inc(1);
                                self.render(r, known)
                            })
                            .collect();
                        let _ = result_tx.send(Checked {
                            seq,
                            results,
                            skipped: chunk.skipped,
                        });
                    });
                }
            });
            drop(permit_tx);
            drop(result_tx);
            bar.finish_and_clear();
            writer
                .join()
                .unwrap_or_else(|_| Err("the report writer stopped unexpectedly".into()))
        })
    }

    /// The report of one file as it will be written, made on the worker thread that
    /// checked it: the file's case and findings are still in that core's cache, and they
    /// are freed by the thread that allocated them.
    fn render(
        &self,
        mut r: FileResult,
        known: Option<&std::collections::BTreeSet<&str>>,
    ) -> Result<Rendered, String> {
        apply_levels(std::slice::from_mut(&mut r), &self.config.levels);
        let mut fp = baseline::fingerprints(&r, self.fp_root);
        let baselined = known.map_or(0, |set| baseline::drop_known(&mut r, &mut fp, set));
        let rep = FileReport::with_fingerprints(&r, &fp);
        let mut text = Vec::with_capacity(512);
        match self.a.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut text, &rep).map_err(|e| e.to_string())?;
                text.push(b'\n');
            }
            _ => report::write_concise_file(&mut text, &rep).map_err(|e| e.to_string())?,
        }
        Ok(Rendered {
            text,
            count: FileCount::of(&rep),
            baselined,
        })
    }
}

/// One file's report, ready to write.
struct Rendered {
    text: Vec<u8>,
    count: FileCount,
    /// Findings left out because the baseline records them.
    baselined: usize,
}

/// The writing stage of a [`StreamRun`].
struct StreamWriter<'r> {
    run: &'r StreamRun<'r>,
    summary: Summary,
    out: std::io::BufWriter<std::io::StdoutLock<'static>>,
}

impl<'r> StreamWriter<'r> {
    fn new(run: &'r StreamRun<'r>) -> Self {
        StreamWriter {
            run,
            summary: Summary::empty(0),
            out: std::io::BufWriter::new(std::io::stdout().lock()),
        }
    }

    fn write(&mut self, results: Vec<Rendered>) -> Result<(), String> {
        for r in results {
            self.summary.baselined += r.baselined;
            self.summary.add_count(&r.count);
            self.out.write_all(&r.text).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Summary, String> {
        let io = |e: std::io::Error| e.to_string();
        match self.run.a.format {
            Format::Jsonl => {
                serde_json::to_writer(
                    &mut self.out,
                    &report::model::SummaryLine {
                        summary: &self.summary,
                    },
                )
                .map_err(|e| e.to_string())?;
                writeln!(self.out).map_err(io)?;
            }
            _ if !self.run.a.quiet => writeln!(self.out, "{}", self.summary.line()).map_err(io)?,
            _ => {}
        }
        self.out.flush().map_err(io)?;
        Ok(self.summary)
    }
}

#[cfg(test)]
mod tests {
    use super::InOrder;

    /// A streamed run writes its chunks in the order they were found, whichever the
    /// workers finish first.
    #[test]
    fn chunks_finished_out_of_order_come_out_in_order() {
        let mut in_order = InOrder::default();
        let mut written = Vec::new();
        for seq in [2, 0, 3, 1, 5, 4] {
            in_order.push(seq, format!("chunk {seq}"));
            while let Some(c) = in_order.pop() {
                written.push(c);
            }
            if seq == 2 {
                assert!(written.is_empty(), "chunk 2 waits for chunks 0 and 1");
            }
        }
        let expected: Vec<String> = (0..6).map(|k| format!("chunk {k}")).collect();
        assert_eq!(written, expected);
    }
}
