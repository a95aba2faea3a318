//! Applies a compiled pack to a parsed case and produces findings.

use crate::facts::context::Status;
use crate::facts::extract::{extract_for_rules, CaseFacts, Mention, Side};
use crate::letter::{Case, Decision, ParseProblem};
use crate::rules::model::{Conclusion, FactName, Kind, MismatchKind, Scope, Severity};
use crate::rules::{CondC, Mode, Pack, Rule};
use crate::span::Span;
use serde::Serialize;

/// A secondary place in the letter that explains a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// One problem found in a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub kind: Kind,
    pub severity: Severity,
    /// 1-based item number, when the finding is about an item.
    pub item: Option<usize>,
    pub message: String,
    /// Primary location and its label.
    pub span: Span,
    pub label: String,
    pub related: Vec<Label>,
    /// The guideline reference, shown as help.
    pub help: Option<String>,
}

/// The outcome of evaluating one case.
#[derive(Debug, Default)]
pub struct Evaluation {
    pub facts: CaseFacts,
    pub findings: Vec<Finding>,
}

/// Severity of a parse problem: a letter that yields nothing to check is an error.
pub fn problem_severity(code: &str) -> Severity {
    match code {
        "format/empty"
        | "format/binary"
        | "format/unknown-layout"
        | "format/no-items"
        | "format/unreadable"
        | "format/too-large"
        | "format/pdf-no-text"
        | "format/pdf-encrypted"
        | "format/pdf-unreadable"
        | "format/not-a-case" => Severity::Error,
        _ => Severity::Warning,
    }
}

pub fn problem_finding(p: &ParseProblem) -> Finding {
    Finding {
        rule: p.code.clone(),
        kind: Kind::Format,
        severity: problem_severity(&p.code),
        item: p.item,
        message: p.message.clone(),
        span: p.span,
        label: "here".into(),
        related: vec![],
        help: Some("imrlint reads letters of the layouts listed in the README; check the file is a complete IMR determination letter".into()),
    }
}

/// Something that made a condition hold: a concept mention, or a place in the letter.
#[derive(Debug, Clone)]
pub struct Witness<'f> {
    pub mention: Option<&'f Mention>,
    pub scope: Scope,
    pub span: Span,
    /// `None` for a mention's witness, described only if its rule fires (most
    /// conditions that hold belong to rules whose decision agrees).
    pub label: Option<String>,
}

impl Witness<'_> {
    fn label(&self, pack: &Pack) -> String {
        match (&self.label, self.mention) {
            (Some(l), _) => l.clone(),
            (None, Some(m)) => describe(pack, m, self.scope),
            (None, None) => String::new(),
        }
    }
}

struct Ctx<'f> {
    case: &'f Case,
    pack: &'f Pack,
    facts: &'f CaseFacts,
}

/// How one rule went on one item: it applied (its request classes match the item's
/// class); whether its `when` held; whether it produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleOutcome {
    /// Index into `Pack::rules`.
    pub rule: usize,
    /// The rule's `when` held for the item's documented facts.
    pub held: bool,
    /// The rule produced a finding (for rules with `expect`: `when` held and the decision
    /// differs from `expect`).
    pub fired: bool,
}

/// Every rule that applied to one item, and what the item's facts were for them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ItemOutcome {
    /// Index into `Pack::classes`; `None` when the request matched no class (no rule applies).
    pub class: Option<usize>,
    /// Rules whose request classes match the item's class, in pack order.
    pub rules: Vec<RuleOutcome>,
    /// The condition leaves of the applicable rules that hold for this item and read the
    /// case (the record, the summary or the request; not the rationale or guideline line,
    /// which are the reviewer's words), as sorted, de-duplicated labels: a concept id
    /// (`documented` in the record), with ` (mentioned)` / ` (negated)` for other modes and
    /// ` in summary` / ` in request` for other scopes; numeric facts as `age>=N`, `weeks-since-injury<=N`. Items of one class with
    /// the same labels present the same facts to the rules.
    pub facts_used: Vec<String>,
}

impl ItemOutcome {
    /// The decisions implied by the guideline: those of the `decision` rules with `expect`
    /// whose `when` held, in pack order. (Contradiction rules also carry `expect`, but they
    /// read the reviewer's own conclusion, not the guideline.)
    pub fn implied<'p>(&'p self, pack: &'p Pack) -> impl Iterator<Item = Decision> + 'p {
        self.rules
            .iter()
            .filter(|o| o.held)
            .map(|o| &pack.rules[o.rule].def)
            .filter(|d| d.kind == Kind::Decision)
            .filter_map(|d| d.expect)
    }
}

/// An evaluation with the per-item rule outcomes behind it.
#[derive(Debug, Default)]
pub struct DetailedEvaluation {
    pub evaluation: Evaluation,
    /// One per item of the case, in order.
    pub items: Vec<ItemOutcome>,
}

/// Evaluates every rule of the pack on every item of the case.
pub fn evaluate(case: &Case, pack: &Pack) -> Evaluation {
    evaluate_inner(case, pack, None)
}

/// Like [`evaluate`] (same findings), and also reports, per item, which rules applied,
/// whether their `when` held and which facts the rules read.
pub fn evaluate_detailed(case: &Case, pack: &Pack) -> DetailedEvaluation {
    let mut items = Vec::with_capacity(case.items.len());
    let evaluation = evaluate_inner(case, pack, Some(&mut items));
    DetailedEvaluation { evaluation, items }
}

fn evaluate_inner(
    case: &Case,
    pack: &Pack,
    mut outcomes: Option<&mut Vec<ItemOutcome>>,
) -> Evaluation {
    let facts = extract_for_rules(case, pack);
    let mut findings: Vec<Finding> = case.problems.iter().map(problem_finding).collect();
    let ctx = Ctx {
        case,
        pack,
        facts: &facts,
    };
    for (i, item) in case.items.iter().enumerate() {
        let class = facts.items[i].class;
        let mut outcome = ItemOutcome {
            class,
            ..ItemOutcome::default()
        };
        if let Some(class) = class {
            for (r, rule) in pack.rules.iter().enumerate() {
                let applies = rule.classes.as_ref().is_none_or(|c| c.contains(&class));
                if !applies {
                    continue;
                }
                if outcomes.is_some() {
                    collect_facts(&rule.when, &ctx, i, &mut outcome.facts_used);
                }
                let mut witnesses = Vec::new();
                let held = holds(&rule.when, &ctx, i, &mut witnesses);
                let mut fired = false;
                if held {
                    let decision = item.decision.as_ref();
                    let differs = match rule.def.expect {
                        Some(expected) => decision.is_some_and(|d| d.value != expected),
                        None => true,
                    };
                    if differs {
                        fired = true;
                        findings.push(make_finding(
                            rule,
                            pack,
                            case,
                            i,
                            expected_text(rule),
                            &witnesses,
                        ));
                    }
                }
                if outcomes.is_some() {
                    outcome.rules.push(RuleOutcome {
                        rule: r,
                        held,
                        fired,
                    });
                }
            }
        }
        if let Some(out) = outcomes.as_deref_mut() {
            outcome.facts_used.sort();
            outcome.facts_used.dedup();
            out.push(outcome);
        }
    }
    findings.sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
    Evaluation { facts, findings }
}

/// Adds the label of every leaf of `c` that holds for item `i` and reads the case itself
/// (not the reviewer's rationale or guideline line).
fn collect_facts(c: &CondC, ctx: &Ctx<'_>, i: usize, out: &mut Vec<String>) {
    match c {
        CondC::All(v) | CondC::Any(v) => {
            for x in v {
                collect_facts(x, ctx, i, out);
            }
        }
        CondC::Not(x) => collect_facts(x, ctx, i, out),
        CondC::Concept {
            mode,
            concept,
            scope,
            ..
        } => {
            if matches!(scope, Scope::Rationale | Scope::Guideline)
                || !holds(c, ctx, i, &mut Vec::new())
            {
                return;
            }
            let mut label = ctx.pack.concepts[*concept].id.clone();
            match mode {
                Mode::Documented => {}
                Mode::Mentioned => label.push_str(" (mentioned)"),
                Mode::Negated => label.push_str(" (negated)"),
            }
            match scope {
                Scope::Record => {}
                Scope::Summary => label.push_str(" in summary"),
                Scope::Request => label.push_str(" in request"),
                Scope::Rationale | Scope::Guideline => {}
            }
            out.push(label);
        }
        CondC::Fact(t) => {
            if !holds(c, ctx, i, &mut Vec::new()) {
                return;
            }
            let name = fact_name(t.name);
            let mut parts = Vec::new();
            if let Some(lo) = t.at_least {
                parts.push(format!("{name}>={lo}"));
            }
            if let Some(hi) = t.at_most {
                parts.push(format!("{name}<={hi}"));
            }
            if parts.is_empty() {
                parts.push(name);
            }
            out.push(parts.join(","));
        }
        // These read the reviewer's words or compare two numbers of the letter; they are
        // not facts that make two cases alike.
        _ => {}
    }
}

fn fact_name(name: FactName) -> String {
    serde_json::to_value(name)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn expected_text(rule: &Rule) -> &'static str {
    match rule.def.expect {
        Some(Decision::Upheld) => "upheld (not medically necessary)",
        Some(Decision::Overturned) => "overturned (medically necessary)",
        None => "",
    }
}

fn describe(pack: &Pack, m: &Mention, scope: Scope) -> String {
    let place = match scope {
        Scope::Rationale => "the rationale",
        Scope::Request => "the request",
        Scope::Guideline => "the guideline line",
        _ => "the case record",
    };
    let how = match m.status {
        Status::Present => "",
        Status::Negated => " (negated)",
        Status::Historical => " (historical)",
        Status::Hypothetical => " (hypothetical)",
        Status::Possible => " (possible)",
        Status::Resolved => " (resolved)",
        Status::Other => " (someone else)",
    };
    format!("{} in {place}{how}", pack.concepts[m.concept].id)
}

fn mention_witness(m: &Mention, scope: Scope) -> Witness<'_> {
    Witness {
        mention: Some(m),
        scope,
        span: m.span,
        label: None,
    }
}

fn make_finding(
    rule: &Rule,
    pack: &Pack,
    case: &Case,
    i: usize,
    expected: &str,
    witnesses: &[Witness<'_>],
) -> Finding {
    let item = &case.items[i];
    let decision = item.decision.as_ref();
    let message = rule
        .def
        .message
        .replace("{request}", &item.request.text)
        .replace(
            "{decision}",
            decision.map(|d| d.value.as_str()).unwrap_or("undecided"),
        )
        .replace("{expected}", expected);
    let (span, label) = match (rule.def.expect, decision) {
        (Some(_), Some(d)) if rule.def.kind == Kind::Decision => {
            (d.span, format!("decided {}", d.value.as_str()))
        }
        _ => match witnesses
            .iter()
            .find(|w| w.mention.is_none() || matches!(w.scope, Scope::Rationale | Scope::Guideline))
        {
            Some(w) => (w.span, w.label(pack)),
            None => (
                item.rationale.as_ref().map(|r| r.span).unwrap_or(item.span),
                "this rationale".into(),
            ),
        },
    };
    let related = witnesses
        .iter()
        .filter(|w| w.span != span)
        .map(|w| Label {
            span: w.span,
            text: w.label(pack),
        })
        .collect();
    Finding {
        rule: rule.def.id.clone(),
        kind: rule.def.kind,
        severity: rule.def.severity,
        item: Some(item.n),
        message,
        span,
        label,
        related,
        help: Some(rule.def.guideline.display()),
    }
}

fn fact_value(facts: &CaseFacts, i: usize, name: FactName) -> Option<f64> {
    let f = facts.items.get(i);
    match name {
        FactName::Age => facts.age,
        FactName::WeeksSinceInjury => facts.weeks_since_injury,
        FactName::VisitsRequested => f.and_then(|f| f.visits_requested),
        FactName::VisitsCompleted => f.and_then(|f| f.visits_completed),
        FactName::VisitsTotal => f.and_then(|f| {
            f.visits_requested
                .map(|r| r + f.visits_completed.unwrap_or(0.0))
        }),
        FactName::RationaleVisitsCompleted => f.and_then(|f| f.rationale_visits_completed),
        FactName::QuantityRequested => f.and_then(|f| f.quantity_requested),
    }
}

/// Whether the condition holds for item `i`; collects what made it hold.
fn holds<'f>(c: &CondC, ctx: &Ctx<'f>, i: usize, witnesses: &mut Vec<Witness<'f>>) -> bool {
    let facts = ctx.facts;
    match c {
        CondC::All(v) => {
            let mark = witnesses.len();
            let ok = v.iter().all(|x| holds(x, ctx, i, witnesses));
            if !ok {
                witnesses.truncate(mark);
            }
            ok
        }
        CondC::Any(v) => {
            let mut any = false;
            for x in v {
                // Keep evaluating to collect every witness of the branches that hold.
                any |= holds(x, ctx, i, witnesses);
            }
            any
        }
        CondC::Not(x) => {
            let mut scratch = Vec::new();
            !holds(x, ctx, i, &mut scratch)
        }
        CondC::Concept {
            mode,
            concept,
            scope,
            statuses,
        } => {
            let mut of_concept = facts
                .scope(*scope, i)
                .filter(|m| m.concept == *concept)
                .peekable();
            match mode {
                Mode::Documented | Mode::Mentioned => {
                    let first = of_concept.find(|m| statuses.contains(&m.status));
                    if let Some(m) = first {
                        witnesses.push(mention_witness(m, *scope));
                        true
                    } else {
                        false
                    }
                }
                Mode::Negated => {
                    let all: Vec<&Mention> = of_concept.collect();
                    let ok = !all.is_empty() && all.iter().all(|m| statuses.contains(&m.status));
                    if ok {
                        witnesses.push(mention_witness(all[0], *scope));
                    }
                    ok
                }
            }
        }
        CondC::Fact(t) => match fact_value(facts, i, t.name) {
            Some(v) => t.at_least.is_none_or(|lo| v >= lo) && t.at_most.is_none_or(|hi| v <= hi),
            None => t.if_unknown,
        },
        CondC::FactDiffers(t) => {
            let Some(v) = fact_value(facts, i, t.name) else {
                return false;
            };
            match fact_value(facts, i, t.from) {
                None => t.if_unknown,
                Some(w) => {
                    let singles: &[f64] = match t.from {
                        FactName::VisitsCompleted => &facts.items[i].completed_counts,
                        _ => &[],
                    };
                    (v - w).abs() > 0.01 && !singles.iter().any(|s| (v - s).abs() < 0.01)
                }
            }
        }
        CondC::Citation(k) => citation::check(*k, ctx.case, ctx.pack, facts, i, witnesses),
        CondC::Conclusion(want) => match facts.items[i].conclusion {
            Some((got, span)) if got == *want => {
                let label = match got {
                    Conclusion::Necessary => "concludes: medically necessary",
                    Conclusion::NotNecessary => "concludes: not medically necessary",
                };
                witnesses.push(Witness {
                    mention: None,
                    scope: Scope::Rationale,
                    span,
                    label: Some(label.into()),
                });
                true
            }
            _ => false,
        },
        CondC::Mismatch(k) => mismatch(*k, ctx, i, witnesses),
    }
}

fn mismatch<'f>(
    k: MismatchKind,
    ctx: &Ctx<'f>,
    i: usize,
    witnesses: &mut Vec<Witness<'f>>,
) -> bool {
    let f = &ctx.facts.items[i];
    let cat = &ctx.pack.catalogue;
    if f.request_regions.is_empty() {
        return false;
    }
    match k {
        MismatchKind::Region => {
            if f.rationale_regions.is_empty()
                || f.rationale_regions
                    .iter()
                    .any(|(r, _)| f.request_regions.contains(r))
            {
                return false;
            }
            let related = |r: usize| {
                f.request_regions
                    .iter()
                    .any(|q| cat.regions[*q].related.contains(&r))
            };
            match f.rationale_regions.iter().find(|(r, _)| !related(*r)) {
                Some(&(r, mi)) => {
                    let m = &f.rationale[mi];
                    witnesses.push(Witness {
                        mention: Some(m),
                        scope: Scope::Rationale,
                        span: m.span,
                        label: Some(format!(
                            "the rationale discusses the {} region; the request is about the {}",
                            cat.regions[r].id, cat.regions[f.request_regions[0]].id
                        )),
                    });
                    true
                }
                None => false,
            }
        }
        MismatchKind::Side => {
            let want = match f.side {
                Some(s @ (Side::Left | Side::Right)) => s,
                _ => return false,
            };
            if f.rationale_sides.is_empty()
                || f.rationale_sides
                    .iter()
                    .any(|(s, _)| *s == want || *s == Side::Both)
            {
                return false;
            }
            let (s, mi) = f.rationale_sides[0];
            let m = &f.rationale[mi];
            witnesses.push(Witness {
                mention: Some(m),
                scope: Scope::Rationale,
                span: m.span,
                label: Some(format!(
                    "the rationale discusses the {} side; the request is for the {}",
                    side_word(s),
                    side_word(want)
                )),
            });
            true
        }
    }
}

fn side_word(s: Side) -> &'static str {
    match s {
        Side::Left => "left",
        Side::Right => "right",
        Side::Both => "both",
    }
}

mod citation {
    use super::Witness;
    use crate::citation::{GuidelineRef, Source};
    use crate::facts::extract::CaseFacts;
    use crate::letter::Case;
    use crate::rules::model::{CitationCheck, MtusCoverage, Scope};
    use crate::rules::Pack;

    fn place<'f>(span: crate::span::Span, label: String) -> Witness<'f> {
        Witness {
            mention: None,
            scope: Scope::Guideline,
            span,
            label: Some(label),
        }
    }

    /// Index of the ODG chapter a title names (longest name wins), matched as words.
    fn odg_chapter(pack: &Pack, title: &str) -> Option<usize> {
        let t = title.to_lowercase();
        let mut best: Option<(usize, usize)> = None;
        for (k, ch) in pack.catalogue.odg.iter().enumerate() {
            for n in &ch.names {
                let found = t.match_indices(n.as_str()).any(|(at, _)| {
                    let before = t[..at].chars().next_back();
                    let after = t[at + n.len()..].chars().next();
                    !before.is_some_and(char::is_alphanumeric)
                        && !after.is_some_and(char::is_alphanumeric)
                });
                if found && best.is_none_or(|(_, len)| n.len() > len) {
                    best = Some((k, n.len()));
                }
            }
        }
        best.map(|(k, _)| k)
    }

    fn acoem_chapter(pack: &Pack, r: &GuidelineRef) -> Option<usize> {
        let cat = &pack.catalogue;
        if let Some(n) = r.chapter {
            return cat.acoem.iter().position(|c| c.chapter == n);
        }
        let t = r.title.as_deref()?.to_lowercase();
        cat.acoem
            .iter()
            .position(|c| t.contains(&c.title.to_lowercase()))
    }

    pub(super) fn check<'f>(
        k: CitationCheck,
        case: &'f Case,
        pack: &Pack,
        facts: &'f CaseFacts,
        i: usize,
        w: &mut Vec<Witness<'f>>,
    ) -> bool {
        let item = &case.items[i];
        let f = &facts.items[i];
        let cat = &pack.catalogue;
        let cit = item.reviewer_guideline.as_ref();
        match k {
            CitationCheck::Missing => {
                let missing = cit.is_none_or(|c| c.refs.is_empty());
                if missing {
                    let span = cit
                        .map(|c| c.span)
                        .or(item.decision.as_ref().map(|d| d.span))
                        .unwrap_or(item.span);
                    w.push(place(span, "no guideline named here".into()));
                }
                missing
            }
            CitationCheck::NotBasedButCitesMtus => {
                let Some(c) = cit else { return false };
                // Only an explicit disclaimer counts, not a "Non-MTUS Citation" label
                // next to an MTUS one.
                let re = crate::eval::mtus_disclaimer();
                if !c.not_based_on_mtus || !re.is_match(&c.text) {
                    return false;
                }
                match c.refs.iter().find(|r| r.source.is_mtus()) {
                    Some(r) => {
                        w.push(place(
                            r.span,
                            "an MTUS guideline, after saying the MTUS was not used".into(),
                        ));
                        true
                    }
                    None => false,
                }
            }
            CitationCheck::NonMtusWithoutSilence => {
                let Some(c) = cit else { return false };
                let class = f.class.map(|k| &pack.classes[k]);
                if class.and_then(|k| k.mtus) != Some(MtusCoverage::Addressed)
                    || c.refs.is_empty()
                    || c.refs.iter().any(|r| r.source.is_mtus())
                {
                    return false;
                }
                let said = pack.concept("mtus-silent").is_some_and(|s| {
                    f.rationale
                        .iter()
                        .chain(f.guideline.iter())
                        .any(|m| m.concept == s)
                });
                let aspect = class.is_some_and(|k| {
                    f.request
                        .iter()
                        .chain(f.rationale.iter())
                        .any(|m| k.mtus_silent_when.contains(&m.concept))
                });
                let silent = said || aspect;
                if silent {
                    return false;
                }
                let r = &c.refs[0];
                w.push(place(r.span, format!("{} only", r.source.as_str())));
                true
            }
            CitationCheck::PagesOutside => {
                let Some(c) = cit else { return false };
                for r in &c.refs {
                    let (range, what) = match r.source {
                        Source::MtusAcoem => match acoem_chapter(pack, r) {
                            Some(ch) => (
                                cat.acoem[ch].pages,
                                format!("Chapter {}", cat.acoem[ch].chapter),
                            ),
                            None => continue,
                        },
                        Source::MtusCpmtg => {
                            let t = r.title.as_deref().unwrap_or("").to_lowercase();
                            match cat
                                .cpmtg
                                .iter()
                                .find(|tp| tp.names.iter().any(|n| t.contains(n.as_str())))
                            {
                                Some(tp) => (tp.pages, tp.name.clone()),
                                None => continue,
                            }
                        }
                        _ => continue,
                    };
                    let Some(range) = range else { continue };
                    if let Some(p) = r
                        .pages
                        .iter()
                        .find(|p| p.start < range.start || p.end > range.end)
                    {
                        w.push(place(
                            r.span,
                            format!(
                                "pages {}-{} are outside {what} (pp. {}-{})",
                                p.start, p.end, range.start, range.end
                            ),
                        ));
                        return true;
                    }
                }
                false
            }
            CitationCheck::WrongRegion => {
                let Some(c) = cit else { return false };
                if f.request_regions.is_empty() {
                    return false;
                }
                for r in &c.refs {
                    let (regions, what) = match r.source {
                        Source::MtusAcoem => match acoem_chapter(pack, r) {
                            Some(ch) => (
                                &cat.acoem[ch].regions,
                                format!(
                                    "ACOEM Chapter {} {}",
                                    cat.acoem[ch].chapter, cat.acoem[ch].title
                                ),
                            ),
                            None => continue,
                        },
                        Source::Odg => {
                            match r.title.as_deref().and_then(|t| odg_chapter(pack, t)) {
                                Some(ch) => {
                                    (&cat.odg[ch].regions, format!("ODG {}", cat.odg[ch].title))
                                }
                                None => continue,
                            }
                        }
                        _ => continue,
                    };
                    if regions.is_empty() || f.request_regions.iter().any(|q| regions.contains(q)) {
                        continue;
                    }
                    w.push(place(
                        r.span,
                        format!(
                            "{what} covers another body region than the {} request",
                            cat.regions[f.request_regions[0]].id
                        ),
                    ));
                    return true;
                }
                false
            }
        }
    }
}

/// "did not base the decision on the MTUS".
pub(crate) fn mtus_disclaimer() -> &'static crate::re::Regex {
    static RE: std::sync::OnceLock<crate::re::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        crate::re::compile(r"(?i)\b(?:did\s+not|didn't|does\s+not|do\s+not)\s+base\s+\w+\s+decision\s+on\s+(?:the\s+)?(?:CA\s+)?MTUS\b").unwrap()
    })
}
