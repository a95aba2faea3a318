//! The `imrlint` command line.

use clap::{Args, Parser, Subcommand, ValueEnum};
use imrlint::check::check_path;
use imrlint::rules::{self, Pack, RuleError};
use std::io::Write;
use std::path::PathBuf;

/// mimalloc: loading the rule pack and checking a letter make many small allocations,
/// and the system allocator is a large share of the time of both.
#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

/// mimalloc, through its plain entry points whenever they give the alignment asked for:
/// `mimalloc::MiMalloc` takes the aligned ones for every block, a longer path for the
/// few hundred allocations each letter makes.
struct Allocator;

/// The alignment mimalloc gives every block of at least this size.
const MI_MIN_ALIGN: usize = 16;

/// Whether a plain mimalloc block has the alignment `layout` needs: blocks are aligned
/// to 16 bytes, and a smaller block to its size's power of two, as the C allocator does.
fn plain_will_do(align: usize, size: usize) -> bool {
    align <= MI_MIN_ALIGN && align <= size
}

// SAFETY: each method hands the request to mimalloc, whose plain calls are used only
// when their blocks are aligned as `plain_will_do` says, and whose aligned calls (through
// `MiMalloc`) otherwise; every block is freed by `mi_free`, which takes either kind.
unsafe impl std::alloc::GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        if plain_will_do(layout.align(), layout.size()) {
            unsafe { libmimalloc_sys::mi_malloc(layout.size()) as *mut u8 }
        } else {
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        if plain_will_do(layout.align(), layout.size()) {
            unsafe { libmimalloc_sys::mi_zalloc(layout.size()) as *mut u8 }
        } else {
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        unsafe { libmimalloc_sys::mi_free(ptr as *mut std::ffi::c_void) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        if plain_will_do(layout.align(), new_size) {
            unsafe {
                libmimalloc_sys::mi_realloc(ptr as *mut std::ffi::c_void, new_size) as *mut u8
            }
        } else {
            unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
        }
    }
}
use std::process::ExitCode;

/// `mi_option_purge_delay` in mimalloc v2's `mi_option_t` (mimalloc.h): libmimalloc-sys
/// leaves the experimental options unnamed.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tunes memory for a batch: freed memory is kept, huge pages are not taken. A one-letter
/// run is left as it is: it frees little, and with both changes its system time rose
/// (4 KB page faults instead of a few huge pages: 8.1 ms against 6.5 ms).
fn tune_memory_for_batch() {
    keep_freed_memory();
    no_huge_pages();
}

/// Keeps the memory a batch frees for its own reuse. A batch frees each letter's memory
/// and allocates the next letter's at once; by default mimalloc hands freed pages back to
/// the kernel after 10 ms (500 `madvise` calls in a 100,000-letter run), and the kernel
/// then zeroes them again when they are touched next. Without purging the run makes a
/// fifth of the page faults, and peak memory stays flat. `MIMALLOC_PURGE_DELAY`, when
/// set, decides.
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: a plain setter of mimalloc's, called before any other thread exists.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
    }
}

/// Turns transparent huge pages off for the process. mimalloc asks for them on the memory
/// it maps, and each first touch of a 2 MB page then has the kernel zero all of it
/// (`clear_page_erms` under `mi_page_free_list_extend`: 1.5% of a 100,000-letter run's
/// samples), which also flushes the core's 1 MB cache of the tables the letters are
/// searched with. Without them the run took 7% less wall time (five interleaved pairs,
/// median 1.99 s against 2.14 s). `MIMALLOC_ALLOW_THP`, when set, decides.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: prctl with an integer option and integer arguments; it fails harmlessly
        // on a kernel without the option.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}

/// Checks California workers' compensation IMR determination letters against treatment
/// guidelines.
#[derive(Parser)]
#[command(name = "imrlint", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint letters (files or directories, walked for .txt, .pdf, .yaml, .yml and .json).
    Check(imrlint::run::CheckArgs),
    /// Print the parsed case of one letter, every field with its byte span.
    Parse(ParseArgs),
    /// Work with rule packs.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// List every concept mention in a letter with its status and deciding trigger.
    Facts(FactsArgs),
    /// Explain a rule: what it checks, why, the guideline, its logic and examples.
    Explain {
        rule: String,
        #[command(flatten)]
        pack: PackArgs,
    },
    /// Score the context engine on NegEx-style rows (report, concept, sentence[, label]).
    Assert(AssertArgs),
    /// Audit reviewer consistency across a batch: tables, JSON, CSV, an HTML report.
    Audit(AuditArgs),
    /// Print the text imrlint reads from a letter (for a PDF, the extracted text that
    /// positions in findings refer to).
    Text(TextArgs),
}

#[derive(Args)]
struct TextArgs {
    file: PathBuf,
}

#[derive(Args)]
struct AuditArgs {
    /// Letters or directories (default: the current directory).
    paths: Vec<PathBuf>,
    #[command(flatten)]
    pack: PackArgs,
    /// Output format on stdout (csv writes items.csv and findings.csv into --csv-dir).
    #[arg(long, value_enum, default_value = "human")]
    format: imrlint::audit::AuditFormat,
    /// Write items.csv and findings.csv into DIR (with any format).
    #[arg(long, value_name = "DIR")]
    csv_dir: Option<PathBuf>,
    /// Write a self-contained HTML report to FILE.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Letter excerpts kept for the HTML report.
    #[arg(long, value_name = "N", default_value_t = 500)]
    max_excerpts: usize,
}

#[derive(Args, Clone)]
struct PackArgs {
    /// A rule pack directory to add; its definitions replace same-id ones (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Do not load the default rule pack compiled into imrlint.
    #[arg(long)]
    no_default_rules: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ParseFormat {
    Json,
    Yaml,
}

#[derive(Args)]
struct ParseArgs {
    file: PathBuf,
    #[arg(long, value_enum, default_value = "json")]
    format: ParseFormat,
    #[command(flatten)]
    pack: PackArgs,
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Validate rule packs and report every problem.
    Check {
        /// Pack directories or files, checked together with the embedded pack.
        dirs: Vec<PathBuf>,
        #[arg(long)]
        no_default_rules: bool,
    },
    /// List the rules: id, kind, severity, request classes, guideline reference.
    List {
        #[command(flatten)]
        pack: PackArgs,
    },
    /// Write one Markdown page per rule, plus an index, into OUT_DIR.
    Docs {
        out_dir: PathBuf,
        #[command(flatten)]
        pack: PackArgs,
    },
    /// Print every vocabulary phrase of the pack, one per line (for benchmarks and grep).
    Phrases {
        #[command(flatten)]
        pack: PackArgs,
    },
    /// Print the JSON Schema of rule files (or write it to --output).
    Schema {
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Run every rule's own examples.
    Test {
        /// Pack directories or files, loaded after the embedded pack.
        dirs: Vec<PathBuf>,
        #[arg(long)]
        no_default_rules: bool,
        /// Only rules whose id contains this text.
        #[arg(long)]
        filter: Option<String>,
    },
}

#[derive(Args)]
struct FactsArgs {
    file: PathBuf,
    #[arg(long, value_enum, default_value = "human")]
    format: FactsFormat,
    /// Only mentions of these concepts (repeatable).
    #[arg(long)]
    concept: Vec<String>,
    #[command(flatten)]
    pack: PackArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FactsFormat {
    Human,
    Json,
}

#[derive(Args)]
struct AssertArgs {
    /// Tab-separated rows: report, concept, sentence and an optional gold label.
    #[arg(long, value_name = "FILE")]
    tsv: PathBuf,
    #[command(flatten)]
    pack: PackArgs,
}

const EXIT_FINDINGS: u8 = imrlint::run::EXIT_FINDINGS;
const EXIT_CONFIG: u8 = 2;

/// Output piped into `head` or a pager that quits early: end quietly, as `cat` and `grep`
/// do, rather than report (or, from `println!`, panic on) the broken pipe. Rust ignores
/// SIGPIPE by default; restoring the default action makes the closed pipe end the process.
#[cfg(unix)]
fn end_quietly_on_closed_pipe() {
    // SAFETY: called first thing in `main`, before any other thread exists; SIG_DFL is
    // a valid action for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn end_quietly_on_closed_pipe() {}

fn main() -> ExitCode {
    end_quietly_on_closed_pipe();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_CONFIG } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Check(a) => {
            if !imrlint::run::is_one_letter(&a) {
                tune_memory_for_batch();
            }
            imrlint::run::check(a)
        }
        Command::Parse(a) => {
            imrlint::re::prefer_quick_builds();
            run_parse(a)
        }
        Command::Rules(RulesCommand::Check {
            dirs,
            no_default_rules,
        }) => run_rules_check(dirs, no_default_rules),
        Command::Rules(RulesCommand::Test {
            dirs,
            no_default_rules,
            filter,
        }) => run_rules_test(dirs, no_default_rules, filter),
        Command::Assert(a) => run_assert(a),
        Command::Facts(a) => {
            imrlint::re::prefer_quick_builds();
            run_facts(a)
        }
        Command::Audit(a) => load_pack(&a.pack).and_then(|p| {
            let paths = if a.paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                a.paths
            };
            let opts = imrlint::audit::Options {
                max_excerpts: a.max_excerpts,
                ..Default::default()
            };
            imrlint::audit::run_cli(
                &paths,
                &p,
                opts,
                a.format,
                a.csv_dir.as_deref(),
                a.html.as_deref(),
            )
        }),
        Command::Text(a) => run_text(a),
        Command::Explain { rule, pack } => run_explain(&rule, &pack),
        Command::Rules(RulesCommand::List { pack }) => load_pack(&pack).map(|p| {
            print!("{}", rules::docs::list(&p));
            0
        }),
        Command::Rules(RulesCommand::Docs { out_dir, pack }) => load_pack(&pack).and_then(|p| {
            let n = rules::docs::write_docs(&p, &out_dir)
                .map_err(|e| format!("{}: {e}", out_dir.display()))?;
            println!("wrote {n} pages to {}", out_dir.display());
            Ok(0)
        }),
        Command::Rules(RulesCommand::Phrases { pack }) => load_pack(&pack).map(|p| {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for phrase in p.phrases() {
                let _ = writeln!(out, "{phrase}");
            }
            0
        }),
        Command::Rules(RulesCommand::Schema { output }) => {
            let schema = rules::docs::schema();
            match output {
                Some(p) => std::fs::write(&p, schema)
                    .map(|_| 0)
                    .map_err(|e| format!("{}: {e}", p.display())),
                None => {
                    print!("{schema}");
                    Ok(0)
                }
            }
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            eprintln!("imrlint: error: {msg}");
            ExitCode::from(EXIT_CONFIG)
        }
    }
}

/// Loads packs; prints every rule error as a diagnostic.
fn load_pack(pack: &PackArgs) -> Result<Pack, String> {
    imrlint::run::load_pack(&pack.rules, pack.no_default_rules)
}

fn print_rule_errors(errors: &[RuleError]) {
    imrlint::run::print_rule_errors(errors)
}

fn run_parse(a: ParseArgs) -> Result<u8, String> {
    let pack = load_pack(&a.pack)?;
    let r = check_path(&a.file, &pack);
    let Some(case) = &r.case else {
        return Err(format!("{}: {}", r.path, r.errors.join("; ")));
    };
    let mut value = serde_json::to_value(case).map_err(|e| e.to_string())?;
    if let Some(items) = value.get_mut("items").and_then(|v| v.as_array_mut()) {
        for (item, class) in items.iter_mut().zip(&r.classes) {
            item["class"] = serde_json::json!(class);
        }
    }
    let text = match a.format {
        ParseFormat::Json => serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?,
        ParseFormat::Yaml => serde_yaml::to_string(&value).map_err(|e| e.to_string())?,
    };
    println!("{text}");
    Ok(if r.case.as_ref().is_some_and(|c| c.items.is_empty()) {
        EXIT_FINDINGS
    } else {
        0
    })
}

fn pack_sources(dirs: &[PathBuf], no_default: bool) -> Result<Vec<rules::PackSource>, String> {
    let mut sources = Vec::new();
    if !no_default {
        sources.push(rules::default_pack());
    }
    for d in dirs {
        sources.push(rules::read_pack_dir(d)?);
    }
    Ok(sources)
}

fn run_rules_check(dirs: Vec<PathBuf>, no_default: bool) -> Result<u8, String> {
    let sources = pack_sources(&dirs, no_default)?;
    match rules::load(&sources) {
        Ok(p) => {
            println!(
                "rules ok: {} files, {} concepts, {} request classes, {} rules",
                p.files.len(),
                p.concepts.len(),
                p.classes.len(),
                p.rules.len()
            );
            Ok(0)
        }
        Err(errors) => {
            print_rule_errors(&errors);
            eprintln!("{} error(s)", errors.len());
            Ok(EXIT_CONFIG)
        }
    }
}

fn run_rules_test(
    dirs: Vec<PathBuf>,
    no_default: bool,
    filter: Option<String>,
) -> Result<u8, String> {
    let sources = pack_sources(&dirs, no_default)?;
    let pack = rules::load(&sources).map_err(|errors| {
        print_rule_errors(&errors);
        format!("{} rule error(s)", errors.len())
    })?;
    let outcomes = rules::testing::run(&pack, filter.as_deref());
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.passed).collect();
    for o in &failed {
        println!("FAIL {} {} ({})", o.rule, o.example, o.file);
        println!("  - expected: {}", o.expected);
        if o.actual.is_empty() {
            println!("  + actual:   no finding");
        }
        for a in &o.actual {
            println!("  + actual:   {a}");
        }
    }
    println!(
        "{} passed, {} failed",
        outcomes.len() - failed.len(),
        failed.len()
    );
    Ok(if failed.is_empty() { 0 } else { EXIT_FINDINGS })
}

fn run_assert(a: AssertArgs) -> Result<u8, String> {
    let pack = load_pack(&a.pack)?;
    let input = std::fs::read_to_string(&a.tsv).map_err(|e| format!("{}: {e}", a.tsv.display()))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let scores = imrlint::negex_eval::run_assert_tsv(&pack.context, &input, &mut out)
        .map_err(|e| format!("{}: {e}", a.tsv.display()))?;
    out.flush().map_err(|e| e.to_string())?;
    if let Some(s) = scores {
        eprintln!(
            "rows {}  accuracy {:.4}  negated precision {:.4}  recall {:.4}  F1 {:.4}",
            s.rows, s.accuracy, s.precision, s.recall, s.f1
        );
    }
    Ok(0)
}

/// The text of an optional field, empty when it is absent.
fn text_of(f: &Option<imrlint::letter::Field>) -> &str {
    f.as_ref().map(|f| f.text.as_str()).unwrap_or_default()
}

fn run_facts(a: FactsArgs) -> Result<u8, String> {
    let pack = load_pack(&a.pack)?;
    let r = check_path(&a.file, &pack);
    let Some(case) = &r.case else {
        return Err(format!("{}: {}", r.path, r.errors.join("; ")));
    };
    let facts = imrlint::facts::extract::extract(case, &pack);
    let idx = imrlint::span::LineIndex::new(&r.source);
    let mut rows = Vec::new();
    // `text`: the text of the part of the letter the mention was found in.
    let mut push = |section: String, text: &str, m: &imrlint::facts::extract::Mention| {
        let concept = &pack.concepts[m.concept].id;
        if !a.concept.is_empty() && !a.concept.contains(concept) {
            return;
        }
        let (line, column) = idx.line_col(&r.source, m.span.start);
        rows.push(serde_json::json!({
            "section": section,
            "concept": concept,
            "text": text.get(m.local.0..m.local.1).unwrap_or_default(),
            "status": m.status,
            "trigger": m.trigger.as_ref().map(|t| &t.0),
            "line": line,
            "column": column,
            "offset": m.span.start,
            "length": m.span.len(),
        }));
    };
    for m in &facts.summary {
        push("summary".into(), text_of(&case.summary), m);
    }
    for m in &facts.documents {
        push("documents".into(), text_of(&case.documents_reviewed), m);
    }
    for (i, (f, item)) in facts.items.iter().zip(&case.items).enumerate() {
        for m in &f.request {
            push(format!("item {} request", i + 1), &item.request.text, m);
        }
        let guideline = item.reviewer_guideline.as_ref().map(|g| g.text.as_str());
        for m in &f.guideline {
            push(
                format!("item {} guideline", i + 1),
                guideline.unwrap_or_default(),
                m,
            );
        }
        for m in &f.rationale {
            push(
                format!("item {} rationale", i + 1),
                text_of(&item.rationale),
                m,
            );
        }
    }
    match a.format {
        FactsFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?
        ),
        FactsFormat::Human => {
            for r in &rows {
                let trig = r["trigger"]
                    .as_str()
                    .map(|t| format!("  (trigger: \"{t}\")"))
                    .unwrap_or_default();
                println!(
                    "{}:{}  {:<18} {:<30} {:<12} \"{}\"{trig}",
                    r["line"],
                    r["column"],
                    r["section"].as_str().unwrap_or(""),
                    r["concept"].as_str().unwrap_or(""),
                    r["status"].as_str().unwrap_or(""),
                    r["text"].as_str().unwrap_or("")
                );
            }
        }
    }
    Ok(0)
}

fn run_explain(id: &str, pack: &PackArgs) -> Result<u8, String> {
    let p = load_pack(pack)?;
    match p.rule(id) {
        Some(r) => {
            print!("{}", rules::docs::explain(r));
            Ok(0)
        }
        None => {
            let ids: Vec<&str> = p.rules.iter().map(|r| r.def.id.as_str()).collect();
            let hint = rules::load::closest(id, ids.iter().copied())
                .map(|b| format!("; did you mean `{b}`?"))
                .unwrap_or_default();
            Err(format!("no rule `{id}`{hint} (see `imrlint rules list`)"))
        }
    }
}

fn run_text(a: TextArgs) -> Result<u8, String> {
    let bytes = std::fs::read(&a.file).map_err(|e| format!("{}: {e}", a.file.display()))?;
    let is_pdf = a
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
        || imrlint::pdf::is_pdf(&bytes);
    let text = if is_pdf {
        imrlint::pdf::extract_text(&bytes)
    } else {
        imrlint::letter::decode(&bytes).map(|d| d.text)
    }
    .map_err(|p| format!("{}: {}", a.file.display(), p.message))?;
    print!("{text}");
    Ok(0)
}

#[cfg(test)]
mod allocator_tests {
    use std::alloc::{GlobalAlloc, Layout};

    /// A batch keeps what it frees (mimalloc reads the purge delay as -1) and takes no
    /// huge pages (the process's THP switch reads "disabled"), unless the environment
    /// says otherwise.
    #[test]
    fn a_batch_keeps_freed_memory_and_takes_no_huge_pages() {
        super::tune_memory_for_batch();
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: a plain getter of mimalloc's.
            assert_eq!(
                unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) },
                -1
            );
        }
        #[cfg(target_os = "linux")]
        if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
            // SAFETY: prctl with an integer option and no pointers.
            assert_eq!(
                unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) },
                1
            );
        }
    }

    /// Every block is aligned as asked, on the plain path and the aligned one, when made,
    /// zeroed and grown or shrunk; zeroed blocks are zero.
    #[test]
    fn blocks_are_aligned_as_asked() {
        let a = super::Allocator;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 3, 8, 12, 16, 24, 40, 100, 1000, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero sizes; every block is freed once, with its layout.
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null() && p as usize % align == 0, "{size} {align}");
                    let z = a.alloc_zeroed(layout);
                    assert!(z as usize % align == 0, "{size} {align} zeroed");
                    assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                    // Shrunk, then grown past the old size.
                    let (mut block, mut current) = (p, layout);
                    for new_size in [size / 2 + 1, size * 3] {
                        block = a.realloc(block, current, new_size);
                        assert!(block as usize % align == 0, "{size} -> {new_size} {align}");
                        current = Layout::from_size_align(new_size, align).unwrap();
                    }
                    a.dealloc(block, current);
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
