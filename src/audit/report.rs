//! The figures of an audit, computed from its aggregates: what JSON, the tables and the
//! HTML report show.

use super::stats::{rate, two_proportion_z, wilson, Agreement, Table2, Z_95};
use super::{Audit, Counts, Excerpt, ItemRef, KindCounts, KINDS};
use crate::rules::Pack;
use serde::Serialize;
use std::collections::BTreeMap;

/// How the audit's statistics are computed; printed with every report.
#[derive(Debug, Clone, Serialize)]
pub struct Method {
    pub profile_test: &'static str,
    pub z_threshold: f64,
    pub interval: &'static str,
    pub agreement: &'static str,
    pub similar_cases: &'static str,
}

pub const METHOD: Method = Method {
    profile_test: "two-proportion z-test (pooled standard error) of each reviewer profile against all other items of the batch, on the upheld rate (upheld / decided items) and on the any-finding rate (items with at least one finding / items); a profile is flagged when |z| > 1.96 (two-sided, 5%)",
    z_threshold: Z_95,
    interval: "Wilson score interval, 95% (z = 1.96)",
    agreement: "for each decided item, every rule with `expect` that applies to its request class and whose `when` holds implies `expect`; if they all imply the same decision that is the item's implied decision, if they disagree the item is counted as conflicting and left out; Cohen's kappa on the 2x2 table of implied against actual decisions: kappa = (po - pe) / (1 - pe)",
    similar_cases: "items are grouped by request class and the sorted labels of the rule condition leaves that hold for them (the facts the applicable rules read); groups with both upheld and overturned items are listed",
};

#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    pub schema_version: u32,
    pub tool: String,
    pub method: Method,
    pub batch: BatchFigures,
    pub rules: Vec<RuleFigures>,
    pub rules_by_kind: BTreeMap<String, KindRuleFigures>,
    pub classes: Vec<GroupFigures>,
    pub profiles: Vec<ProfileFigures>,
    pub specialties: Vec<GroupFigures>,
    pub agreement: AgreementFigures,
    pub similar: SimilarFigures,
    pub months: Vec<GroupFigures>,
    pub undated: GroupFigures,
    pub excerpts: ExcerptFigures,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchFigures {
    pub files: u64,
    pub letters: u64,
    pub unreadable: u64,
    pub skipped: u64,
    #[serde(flatten)]
    pub counts: GroupFigures,
    pub findings_without_item: KindCounts,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleFigures {
    pub id: String,
    pub kind: &'static str,
    pub severity: &'static str,
    pub expect: Option<&'static str>,
    /// Items whose request class the rule applies to.
    pub applied: u64,
    /// Items for which its `when` held.
    pub held: u64,
    /// Applied items without a finding of this rule.
    pub consistent: u64,
    /// Items with a finding of this rule.
    pub inconsistent: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct KindRuleFigures {
    pub rules: u64,
    pub applied: u64,
    pub consistent: u64,
    pub inconsistent: u64,
}

/// Items, decisions and findings of a group, with rates.
#[derive(Debug, Clone, Serialize)]
pub struct GroupFigures {
    /// The group's key: class id, specialty, month (YYYY-MM); empty for the batch.
    pub key: String,
    pub items: u64,
    pub upheld: u64,
    pub overturned: u64,
    pub undecided: u64,
    /// upheld / (upheld + overturned).
    pub upheld_rate: Option<f64>,
    /// Wilson 95% interval of the upheld rate.
    pub upheld_ci: Option<(f64, f64)>,
    pub items_with_findings: u64,
    pub any_finding_rate: Option<f64>,
    pub findings: KindCounts,
    pub findings_total: u64,
    /// Findings per 100 items, by kind.
    pub findings_per_100: BTreeMap<&'static str, f64>,
    pub findings_per_100_total: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileFigures {
    #[serde(flatten)]
    pub group: GroupFigures,
    pub licensure: String,
    pub specialties: Vec<String>,
    /// The batch's upheld rate, beside the profile's.
    pub batch_upheld_rate: Option<f64>,
    /// z of the profile's upheld rate against the other profiles' items.
    pub upheld_z: Option<f64>,
    pub upheld_flag: bool,
    pub batch_any_finding_rate: Option<f64>,
    pub any_finding_z: Option<f64>,
    pub any_finding_flag: bool,
    pub batch_findings_per_100: BTreeMap<&'static str, f64>,
    /// Either test flagged.
    pub flagged: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgreementBlock {
    pub key: String,
    pub table: Table2,
    #[serde(flatten)]
    pub agreement: Agreement,
    pub no_implication: u64,
    pub conflicting: u64,
    pub undecided: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgreementFigures {
    pub overall: AgreementBlock,
    pub by_class: Vec<AgreementBlock>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SimilarGroupFigures {
    pub class: String,
    pub facts: Vec<String>,
    pub items: u64,
    pub upheld: u64,
    pub overturned: u64,
    /// The first items (in path order) of each outcome, at most `max_examples`.
    pub upheld_items: Vec<ItemRef>,
    pub overturned_items: Vec<ItemRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SimilarFigures {
    /// Groups of (class, facts) seen.
    pub groups: u64,
    /// Groups with both outcomes, listed below.
    pub mixed_groups: u64,
    pub mixed: Vec<SimilarGroupFigures>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExcerptFigures {
    pub cap: usize,
    pub stored: usize,
    pub dropped: u64,
    pub list: Vec<Excerpt>,
}

pub fn group(key: &str, c: &Counts) -> GroupFigures {
    let per_100 = |x: u64| rate(x * 100, c.items);
    GroupFigures {
        key: key.to_string(),
        items: c.items,
        upheld: c.upheld,
        overturned: c.overturned,
        undecided: c.undecided,
        upheld_rate: rate(c.upheld, c.decided()),
        upheld_ci: wilson(c.upheld, c.decided(), Z_95),
        items_with_findings: c.items_with_findings,
        any_finding_rate: rate(c.items_with_findings, c.items),
        findings: c.findings,
        findings_total: c.findings.total(),
        findings_per_100: KINDS
            .iter()
            .filter_map(|k| per_100(c.findings.get(*k)).map(|v| (k.as_str(), v)))
            .collect(),
        findings_per_100_total: per_100(c.findings.total()),
    }
}

fn agreement_block(key: &str, a: &super::AgreementCounts) -> AgreementBlock {
    AgreementBlock {
        key: key.to_string(),
        table: a.table,
        agreement: a.table.agreement(),
        no_implication: a.no_implication,
        conflicting: a.conflicting,
        undecided: a.undecided,
    }
}

impl Audit {
    /// Computes every figure.
    pub fn report(&self, pack: &Pack) -> AuditReport {
        let batch = group("", &self.batch);
        let rules: Vec<RuleFigures> = pack
            .rules
            .iter()
            .zip(&self.rules)
            .map(|(r, c)| RuleFigures {
                id: r.def.id.clone(),
                kind: r.def.kind.as_str(),
                severity: r.def.severity.as_str(),
                expect: r.def.expect.map(|d| d.as_str()),
                applied: c.applied,
                held: c.held,
                consistent: c.applied - c.fired,
                inconsistent: c.fired,
            })
            .collect();
        let mut rules_by_kind: BTreeMap<String, KindRuleFigures> = BTreeMap::new();
        for r in &rules {
            let k = rules_by_kind.entry(r.kind.to_string()).or_default();
            k.rules += 1;
            k.applied += r.applied;
            k.consistent += r.consistent;
            k.inconsistent += r.inconsistent;
        }
        let b = &self.batch;
        let profiles = self
            .profiles
            .iter()
            .map(|(key, (state, specs, c))| {
                let upheld_z = two_proportion_z(
                    c.upheld,
                    c.decided(),
                    b.upheld - c.upheld,
                    b.decided() - c.decided(),
                );
                let any_finding_z = two_proportion_z(
                    c.items_with_findings,
                    c.items,
                    b.items_with_findings - c.items_with_findings,
                    b.items - c.items,
                );
                let flag = |z: Option<f64>| z.is_some_and(|z| z.abs() > Z_95);
                ProfileFigures {
                    group: group(key, c),
                    licensure: state.clone(),
                    specialties: specs.clone(),
                    batch_upheld_rate: batch.upheld_rate,
                    upheld_z,
                    upheld_flag: flag(upheld_z),
                    batch_any_finding_rate: batch.any_finding_rate,
                    any_finding_z,
                    any_finding_flag: flag(any_finding_z),
                    batch_findings_per_100: batch.findings_per_100.clone(),
                    flagged: flag(upheld_z) || flag(any_finding_z),
                }
            })
            .collect();
        let mixed: Vec<SimilarGroupFigures> = self
            .similar
            .iter()
            .filter(|(_, g)| g.upheld > 0 && g.overturned > 0)
            .map(|((class, facts), g)| SimilarGroupFigures {
                class: class.clone(),
                facts: facts.clone(),
                items: g.upheld + g.overturned,
                upheld: g.upheld,
                overturned: g.overturned,
                upheld_items: g.upheld_items.clone(),
                overturned_items: g.overturned_items.clone(),
            })
            .collect();
        AuditReport {
            schema_version: 1,
            tool: format!("imrlint {}", env!("CARGO_PKG_VERSION")),
            method: METHOD,
            batch: BatchFigures {
                files: self.files,
                letters: self.letters,
                unreadable: self.unreadable,
                skipped: self.skipped,
                counts: batch.clone(),
                findings_without_item: self.findings_without_item,
            },
            rules,
            rules_by_kind,
            classes: self.classes.iter().map(|(k, c)| group(k, c)).collect(),
            profiles,
            specialties: self.specialties.iter().map(|(k, c)| group(k, c)).collect(),
            agreement: AgreementFigures {
                overall: agreement_block("", &self.agreement),
                by_class: self
                    .agreement_by_class
                    .iter()
                    .map(|(k, a)| agreement_block(k, a))
                    .collect(),
            },
            similar: SimilarFigures {
                groups: self.similar.len() as u64,
                mixed_groups: mixed.len() as u64,
                mixed,
            },
            months: self.months.iter().map(|(k, c)| group(k, c)).collect(),
            undated: group("", &self.undated),
            excerpts: ExcerptFigures {
                cap: self.options.max_excerpts,
                stored: self.excerpts.len(),
                dropped: self.excerpts_dropped,
                list: self.excerpts.clone(),
            },
        }
    }
}
