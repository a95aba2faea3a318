//! The rule-pack file format, version 1, as Rust types. Unknown keys are errors, so a
//! typo in a rule file can never silently change what gets flagged.

use crate::citation::Source;
use crate::facts::context::{ContextSection, Status};
use crate::letter::Decision;
use serde::{Deserialize, Serialize};

/// One YAML file of a rule pack. A file may hold any mix of sections.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PackFile {
    /// Format version; only 1 exists.
    pub version: u32,
    /// Clinical concepts: named phrase lists matched in the letter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concepts: Vec<ConceptDef>,
    /// How a disputed item's request text is recognised.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub request_classes: Vec<RequestClassDef>,
    /// Guideline rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleDef>,
    /// Context triggers (negation, history, hypothesis, experiencer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ContextSection>,
    /// The guideline catalogue: body regions, ACOEM chapters, MTUS topics, ODG chapters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidelines: Option<GuidelineCatalogueDef>,
}

/// The guideline catalogue, as data: what each guideline covers, so citations can be
/// checked against the request.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GuidelineCatalogueDef {
    /// Body regions ("lumbar", "knee"), each recognised by a concept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<RegionDef>,
    /// ACOEM chapters adopted into the MTUS.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acoem: Vec<AcoemChapterDef>,
    /// MTUS Chronic Pain Medical Treatment Guidelines topics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpmtg: Vec<TopicDef>,
    /// ODG chapters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub odg: Vec<OdgChapterDef>,
}

/// A body region of the catalogue.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RegionDef {
    pub id: String,
    /// The concept that recognises the region in a request or a rationale.
    pub concept: String,
    /// Regions a rationale about this one may also discuss without changing subject
    /// (a lumbar rationale speaks of the legs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// Whether the region has a side (knee, shoulder), so left and right can be compared.
    #[serde(default)]
    pub sided: bool,
}

/// An ACOEM chapter.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AcoemChapterDef {
    pub chapter: u32,
    pub title: String,
    /// Region ids the chapter covers; empty for general chapters (any region).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// First and last page ("286-326"), only where confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
}

/// An MTUS Chronic Pain topic.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TopicDef {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Page range, only where confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
}

/// An ODG chapter.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OdgChapterDef {
    pub title: String,
    /// Short forms letters use ("Low Back Chapter").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Region ids; empty for chapters that are not about one region (Pain).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
}

/// Whether the MTUS addresses a request class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MtusCoverage {
    /// The MTUS has criteria for it: a non-MTUS source needs a stated reason.
    Addressed,
    /// The MTUS is silent: other evidence-based guidelines apply directly.
    Silent,
}

/// A clinical concept ("red-flag", "prior-lumbar-imaging").
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConceptDef {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Phrases matched as whole words, ignoring case; a hyphen matches a space.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phrases: Vec<String>,
    /// Regular expressions, for what a phrase list cannot say (matched ignoring case).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<String>,
    /// Other concepts whose matches also count as this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
}

/// A request class ("lumbar-mri"): which requests a rule applies to.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequestClassDef {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Concepts naming the service (any one must match the request text).
    pub modality: Vec<String>,
    /// Concepts naming the body region (any one must match, when given).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub region: Vec<String>,
    /// Concepts that rule the class out when they match the request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// When several classes match, the highest priority wins.
    #[serde(default)]
    pub priority: i32,
    /// The catalogue region the class concerns; without it the region is read from the
    /// request text ("physical therapy for the neck").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_region: Option<String>,
    /// Whether the MTUS addresses the class (for the evidence-hierarchy check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtus: Option<MtusCoverage>,
    /// Concepts that, named in the request or the rationale, put the disputed aspect
    /// outside the MTUS (a repeat MRI, a nerve conduction study): ODG then needs no reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mtus_silent_when: Vec<String>,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Deserialize,
    Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The decision contradicts the rule given the documented facts.
    Decision,
    /// The guideline cited is wrong for the request.
    Citation,
    /// The rationale contradicts its own decision or request.
    Contradiction,
    /// The rationale relies on a fact the case summary does not document, or contradicts.
    Grounding,
    /// The letter could not be fully read.
    Format,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Decision => "decision",
            Kind::Citation => "citation",
            Kind::Contradiction => "contradiction",
            Kind::Grounding => "grounding",
            Kind::Format => "format",
        }
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Deserialize,
    Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A guideline rule.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleDef {
    pub id: String,
    /// One line saying what is wrong when the rule fires.
    pub title: String,
    pub kind: Kind,
    pub severity: Severity,
    /// Request classes the rule applies to (`"*"` for every classified item).
    pub applies_to: Vec<String>,
    /// Conditions over the documented facts.
    pub when: Condition,
    /// The decision the guideline implies when `when` holds; the rule fires when the
    /// letter decided otherwise. Without it the rule fires whenever `when` holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Decision>,
    /// The finding's message. `{request}`, `{decision}` and `{expected}` are filled in.
    pub message: String,
    /// The guideline passage the rule encodes, shown as help.
    pub guideline: GuidelineRefDef,
    /// What the rule checks and why, for `imrlint explain` and the docs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<RuleDocs>,
    /// Examples that must (`invalid`) and must not (`valid`) trigger the rule.
    #[serde(default)]
    pub tests: RuleTests,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GuidelineRefDef {
    pub source: Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter: Option<u32>,
    /// Section or topic ("Special Studies and Diagnostic and Treatment Considerations").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Pages as the guideline numbers them ("303-304").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
    /// The guideline's point, in the rule author's words.
    pub says: String,
}

impl GuidelineRefDef {
    /// "MTUS ACOEM Chapter 12, pp. 303-304: ..."
    pub fn display(&self) -> String {
        let mut s = match self.source {
            Source::MtusAcoem => "MTUS ACOEM".to_string(),
            Source::MtusCpmtg => "MTUS Chronic Pain Medical Treatment Guidelines".to_string(),
            Source::MtusAcupuncture => "MTUS Acupuncture Medical Treatment Guidelines".to_string(),
            Source::MtusPostsurgical => "MTUS Postsurgical Treatment Guidelines".to_string(),
            Source::Odg => "ODG".to_string(),
            Source::Other => String::new(),
        };
        if let Some(c) = self.chapter {
            s.push_str(&format!(" Chapter {c}"));
        }
        if let Some(sec) = &self.section {
            if !s.is_empty() {
                s.push_str(", ");
            }
            s.push_str(sec);
        }
        if let Some(p) = &self.pages {
            let pp = if p.contains(['-', ',']) { "pp." } else { "p." };
            s.push_str(&format!(", {pp} {p}"));
        }
        s.push_str(": ");
        s.push_str(&self.says);
        s
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleDocs {
    pub what: String,
    pub why: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleTests {
    /// Examples on which the rule must fire.
    #[serde(default)]
    pub invalid: Vec<RuleExample>,
    /// Examples on which the rule must not fire.
    #[serde(default)]
    pub valid: Vec<RuleExample>,
}

/// A one-item letter in short form, or a whole letter.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleExample {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A whole letter; when given, the short-form fields are not used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guideline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// Which item the finding must be on (default 1), for whole letters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<usize>,
}

/// A condition over the documented facts of one item. In YAML a condition is a map with
/// exactly one key: `all`, `any`, `not`, `documented`, `negated`, `mentioned` or `fact`.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(try_from = "ConditionRepr", into = "ConditionRepr")]
pub enum Condition {
    /// Every condition holds.
    All(Vec<Condition>),
    /// At least one condition holds.
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
    /// The concept is asserted as a current finding of the patient (by default in the
    /// case record: summary and documents reviewed).
    Documented(ConceptQuery),
    /// The concept is mentioned, and every mention is negated.
    Negated(ConceptQuery),
    /// The concept is mentioned with any status but negated (or those listed).
    Mentioned(ConceptQuery),
    /// A numeric fact compared with bounds.
    Fact(FactTest),
    /// A numeric fact differs from another (or the other is unknown).
    FactDiffers(FactDiffers),
    /// The reviewer's guideline line has the named defect.
    Citation(CitationCheck),
    /// The rationale's closing conclusion.
    Conclusion(Conclusion),
    /// The rationale discusses another body region or side than the request.
    Mismatch(MismatchKind),
}

/// Citation defects of the reviewer's guideline line, judged against the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CitationCheck {
    /// An ACOEM or ODG chapter for another body region than the request's.
    WrongRegion,
    /// Pages outside the cited chapter or topic (where its range is known).
    PagesOutside,
    /// Only non-MTUS sources, for a class the MTUS addresses, and the rationale does
    /// not say the MTUS is silent.
    NonMtusWithoutSilence,
    /// The line says the decision was not based on the MTUS, then cites the MTUS.
    NotBasedButCitesMtus,
    /// No reviewer guideline line, or one that names no guideline.
    Missing,
}

/// What the rationale concludes about medical necessity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Conclusion {
    Necessary,
    NotNecessary,
}

/// What a rationale can disagree with the request about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MismatchKind {
    /// The rationale speaks of another body region and never of the request's.
    Region,
    /// The rationale puts the request's region on the other side only.
    Side,
}

/// `fact-differs: {name: rationale-visits-completed, from: visits-completed}`.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FactDiffers {
    /// The fact that must be known.
    pub name: FactName,
    /// The fact it is compared with.
    pub from: FactName,
    /// What the condition is when `from` is unknown (default: true, an undocumented value).
    #[serde(default = "yes")]
    pub if_unknown: bool,
}

fn yes() -> bool {
    true
}

/// The YAML shape of a condition: one key of these.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConditionRepr {
    /// Every condition in the list holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<Condition>>,
    /// At least one condition in the list holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<Condition>>,
    /// The condition does not hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Condition>>,
    /// The concept is asserted as a current finding of the patient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documented: Option<ConceptQuery>,
    /// The concept is mentioned and every mention is negated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negated: Option<ConceptQuery>,
    /// The concept is mentioned with one of the statuses (default: any but negated or hypothetical).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentioned: Option<ConceptQuery>,
    /// A numeric fact within bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<FactTest>,
    /// A numeric fact that differs from another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact_differs: Option<FactDiffers>,
    /// A defect of the reviewer's guideline line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<CitationCheck>,
    /// The rationale's closing conclusion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<Conclusion>,
    /// The rationale is about another region or side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mismatch: Option<MismatchKind>,
}

impl TryFrom<ConditionRepr> for Condition {
    type Error = String;
    fn try_from(r: ConditionRepr) -> Result<Self, String> {
        let mut found: Vec<Condition> = Vec::new();
        if let Some(v) = r.all {
            if v.is_empty() {
                return Err("`all` needs at least one condition".into());
            }
            found.push(Condition::All(v));
        }
        if let Some(v) = r.any {
            if v.is_empty() {
                return Err("`any` needs at least one condition".into());
            }
            found.push(Condition::Any(v));
        }
        if let Some(v) = r.not {
            found.push(Condition::Not(v));
        }
        if let Some(v) = r.documented {
            found.push(Condition::Documented(v));
        }
        if let Some(v) = r.negated {
            found.push(Condition::Negated(v));
        }
        if let Some(v) = r.mentioned {
            found.push(Condition::Mentioned(v));
        }
        if let Some(v) = r.fact {
            found.push(Condition::Fact(v));
        }
        if let Some(v) = r.fact_differs {
            found.push(Condition::FactDiffers(v));
        }
        if let Some(v) = r.citation {
            found.push(Condition::Citation(v));
        }
        if let Some(v) = r.conclusion {
            found.push(Condition::Conclusion(v));
        }
        if let Some(v) = r.mismatch {
            found.push(Condition::Mismatch(v));
        }
        match found.len() {
            1 => Ok(found.pop().unwrap()),
            0 => Err("a condition needs one of `all`, `any`, `not`, `documented`, `negated`, `mentioned`, `fact`, `fact-differs`, `citation`, `conclusion`, `mismatch`".into()),
            _ => Err("a condition has exactly one key; wrap several in `all:` or `any:`".into()),
        }
    }
}

impl From<Condition> for ConditionRepr {
    fn from(c: Condition) -> Self {
        let mut r = ConditionRepr::default();
        match c {
            Condition::All(v) => r.all = Some(v),
            Condition::Any(v) => r.any = Some(v),
            Condition::Not(v) => r.not = Some(v),
            Condition::Documented(v) => r.documented = Some(v),
            Condition::Negated(v) => r.negated = Some(v),
            Condition::Mentioned(v) => r.mentioned = Some(v),
            Condition::Fact(v) => r.fact = Some(v),
            Condition::FactDiffers(v) => r.fact_differs = Some(v),
            Condition::Citation(v) => r.citation = Some(v),
            Condition::Conclusion(v) => r.conclusion = Some(v),
            Condition::Mismatch(v) => r.mismatch = Some(v),
        }
        r
    }
}

/// A concept id, or a concept with the part of the letter and the statuses to look at.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum ConceptQuery {
    Id(String),
    Full(ConceptQueryFull),
}

// Written by hand (not `untagged`) so that a mistake inside the long form is reported as
// itself ("unknown field `stauts`") rather than as "did not match any variant".
impl<'de> Deserialize<'de> for ConceptQuery {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ConceptQuery;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a concept id, or a map with `concept`, `in` and `status`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ConceptQuery, E> {
                Ok(ConceptQuery::Id(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<ConceptQuery, A::Error> {
                ConceptQueryFull::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(ConceptQuery::Full)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConceptQueryFull {
    pub concept: String,
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// Statuses that count (default depends on the condition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Vec<Status>>,
}

impl ConceptQuery {
    pub fn concept(&self) -> &str {
        match self {
            ConceptQuery::Id(s) => s,
            ConceptQuery::Full(f) => &f.concept,
        }
    }
    pub fn scope(&self) -> Scope {
        match self {
            ConceptQuery::Id(_) => Scope::Record,
            ConceptQuery::Full(f) => f.scope.unwrap_or(Scope::Record),
        }
    }
    pub fn statuses(&self) -> Option<&[Status]> {
        match self {
            ConceptQuery::Id(_) => None,
            ConceptQuery::Full(f) => f.status.as_deref(),
        }
    }
}

/// Where in the letter a concept is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// The case summary and the documents reviewed: what the record documents.
    Record,
    /// The case summary only.
    Summary,
    /// The item's request text.
    Request,
    /// The item's decision rationale.
    Rationale,
    /// The item's reviewer guideline line.
    Guideline,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FactTest {
    pub name: FactName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
    /// What the condition is when the fact is unknown (default: false).
    #[serde(default)]
    pub if_unknown: bool,
}

/// Numeric facts read from the letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FactName {
    /// The injured worker's age in years.
    Age,
    /// Weeks from the date of injury to the latest dated visit (or the decision date).
    WeeksSinceInjury,
    /// Visits or sessions the request asks for ("12 sessions", "2x6", "x8", "(8) visits").
    VisitsRequested,
    /// Visits of the request's own modality the case record says were completed (summed).
    VisitsCompleted,
    /// `visits-requested` plus `visits-completed` (completed counts 0 when not stated).
    VisitsTotal,
    /// Visits of the request's modality the rationale says were completed.
    RationaleVisitsCompleted,
    /// A dispensing quantity in the request ("#90", "quantity 60").
    QuantityRequested,
}
