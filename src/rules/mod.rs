//! Rule packs: the YAML model, loading with located errors, and the compiled form.

pub mod docs;
pub mod error;
pub mod load;
pub mod model;
pub mod testing;

use crate::citation::PageRange;
use crate::facts::context::{ContextEngine, Status};
use crate::facts::matcher::ConceptMatcher;
use model::{
    CitationCheck, Conclusion, FactDiffers, FactTest, MismatchKind, MtusCoverage, RuleDef, Scope,
};

pub use error::{RuleError, SourceFile};
pub use load::{default_pack, load, read_pack_dir, PackSource};

/// A compiled clinical concept.
#[derive(Debug)]
pub struct Concept {
    pub id: String,
    pub description: Option<String>,
    pub file: String,
}

/// A compiled request class.
#[derive(Debug)]
pub struct RequestClass {
    pub id: String,
    pub description: Option<String>,
    pub modality: Vec<usize>,
    pub region: Vec<usize>,
    pub exclude: Vec<usize>,
    pub priority: i32,
    /// Catalogue region index.
    pub body_region: Option<usize>,
    pub mtus: Option<MtusCoverage>,
    pub mtus_silent_when: Vec<usize>,
}

/// A compiled catalogue region.
#[derive(Debug)]
pub struct Region {
    pub id: String,
    pub concept: usize,
    /// Region indices (itself included) a rationale may discuss without changing subject.
    pub related: Vec<usize>,
    pub sided: bool,
}

/// A compiled ACOEM chapter.
#[derive(Debug)]
pub struct AcoemChapter {
    pub chapter: u32,
    pub title: String,
    pub regions: Vec<usize>,
    pub pages: Option<PageRange>,
}

/// A compiled MTUS Chronic Pain topic.
#[derive(Debug)]
pub struct Topic {
    pub name: String,
    /// Lowercase name and aliases.
    pub names: Vec<String>,
    pub pages: Option<PageRange>,
}

/// A compiled ODG chapter.
#[derive(Debug)]
pub struct OdgChapter {
    pub title: String,
    /// Lowercase title and aliases, longest first.
    pub names: Vec<String>,
    pub regions: Vec<usize>,
}

/// The guideline catalogue.
#[derive(Debug, Default)]
pub struct Catalogue {
    pub regions: Vec<Region>,
    pub acoem: Vec<AcoemChapter>,
    pub cpmtg: Vec<Topic>,
    pub odg: Vec<OdgChapter>,
}

/// How a concept condition reads the mentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Documented,
    Negated,
    Mentioned,
}

/// A compiled condition: concept names resolved to indices.
#[derive(Debug, Clone)]
pub enum CondC {
    All(Vec<CondC>),
    Any(Vec<CondC>),
    Not(Box<CondC>),
    Concept {
        mode: Mode,
        concept: usize,
        scope: Scope,
        statuses: Vec<Status>,
    },
    Fact(FactTest),
    FactDiffers(FactDiffers),
    Citation(CitationCheck),
    Conclusion(Conclusion),
    Mismatch(MismatchKind),
}

impl CondC {
    /// Calls `f` with every concept whose mentions the condition reads.
    pub fn for_each_concept(&self, f: &mut impl FnMut(usize)) {
        match self {
            CondC::All(v) | CondC::Any(v) => v.iter().for_each(|x| x.for_each_concept(f)),
            CondC::Not(x) => x.for_each_concept(f),
            CondC::Concept { concept, .. } => f(*concept),
            _ => {}
        }
    }
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub def: RuleDef,
    pub when: CondC,
    /// Request classes it applies to; `None` for every classified item.
    pub classes: Option<Vec<usize>>,
    pub file: String,
}

/// Everything a run needs, compiled once.
#[derive(Debug)]
pub struct Pack {
    pub concepts: Vec<Concept>,
    pub concept_index: crate::fasthash::FastMap<String, usize>,
    pub matcher: ConceptMatcher,
    pub classes: Vec<RequestClass>,
    pub rules: Vec<Rule>,
    pub context: ContextEngine,
    pub catalogue: Catalogue,
    pub files: Vec<SourceFile>,
    /// The phrases of all concepts, deduplicated.
    pub phrase_list: Vec<String>,
    /// The modality concepts of every request class, sorted: the services a completed
    /// visit count can be attributed to.
    pub services: Vec<usize>,
    /// For each concept: whether anything in the pack reads the context status of its
    /// mentions (a rule's condition, the services visit counts go to, the regions of the
    /// catalogue). Only those mentions need the context engine when a letter is checked.
    pub status_read: Vec<bool>,
}

impl Pack {
    /// The default pack alone.
    pub fn default_rules() -> Result<Pack, Vec<RuleError>> {
        load(&[default_pack()])
    }

    /// Readies the pack for one letter whose texts `grams` covers (see
    /// [`crate::facts::extract::letter_trigrams`]): its phrase automata are built for the
    /// strings that can occur there, a fraction of the whole. Texts `grams` does not cover
    /// are still searched in full.
    pub fn restrict_to_letter(&self, grams: &crate::facts::scan::Trigrams) {
        self.matcher.restrict_to(grams);
        self.context.restrict_to(grams);
    }

    /// Classifies a request text: the matching class with the highest priority.
    pub fn classify(&self, request: &str) -> Option<usize> {
        let mut hits = Vec::new();
        self.matcher.find_formulaic(request, &mut hits);
        self.classify_hits(&hits)
    }

    /// [`Pack::classify`] from the request's concept matches.
    pub fn classify_hits(&self, hits: &[crate::facts::matcher::Hit]) -> Option<usize> {
        let has = |list: &[usize]| list.iter().any(|c| hits.iter().any(|h| h.concept == *c));
        self.classes
            .iter()
            .enumerate()
            .filter(|(_, k)| {
                has(&k.modality) && (k.region.is_empty() || has(&k.region)) && !has(&k.exclude)
            })
            .max_by_key(|(i, k)| (k.priority, usize::MAX - i))
            .map(|(i, _)| i)
    }

    /// Every distinct vocabulary phrase, as written, in definition order.
    pub fn phrases(&self) -> &[String] {
        &self.phrase_list
    }

    /// A concept index by id.
    pub fn concept(&self, id: &str) -> Option<usize> {
        self.concept_index.get(id).copied()
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.def.id == id)
    }
}
