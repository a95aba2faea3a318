//! imrlint: checks California IMR determination letters against treatment guidelines.

pub mod audit;
pub mod baseline;
pub mod check;
pub mod citation;
pub mod config;
pub mod eval;
pub mod facts;
pub mod fasthash;
pub mod input;
pub mod letter;
pub mod memo;
pub mod negex_eval;
pub mod pdf;
pub mod re;
pub mod report;
pub mod rules;
pub mod run;
pub mod span;

/// Tunes the process for reading one letter, where building is most of the work: parser
/// regexes are built when first needed and without their lazy DFAs
/// ([`re::prefer_quick_builds`]), and phrase
/// automata wait to be built for the letter's own strings ([`facts::scan::defer_automata`],
/// [`rules::Pack::restrict_to_letter`]). Results are the same. Call before anything is
/// built.
pub fn tune_for_one_letter() {
    re::prefer_quick_builds();
    facts::scan::defer_automata();
}

/// Builds every fixed regex of the parsers now. A batch calls this on a second thread
/// while the rule pack loads, so that neither waits for the other.
pub fn warm_up() {
    let _ = letter::fields::credential_patterns();
    let _ = letter::fields::patient_patterns();
    let _ = letter::items::patterns();
    let _ = letter::layout_b::patterns();
    let _ = letter::layout_c::question();
    let _ = citation::patterns();
    let _ = citation::other_citation_label();
    warm_up_facts();
}

/// Builds the fixed regexes that reading a case's facts uses (see [`warm_up`]).
fn warm_up_facts() {
    facts::extract::num_patterns().build_all();
    eval::mtus_disclaimer().build_now();
}
