//! Context assessment for concept mentions (NegEx / ConText style).
//!
//! PLACEHOLDER: the full trigger engine replaces this file. The public
//! surface below is the contract the rest of the crate relies on.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// How a mention of a clinical concept is asserted by the text around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Asserted as a current finding of the patient.
    Present,
    /// Said to be absent ("denies", "no", "negative for").
    Negated,
    /// Past episode or prior procedure ("history of", "status post", "prior").
    Historical,
    /// Conditional or planned ("if symptoms worsen", "should X occur").
    Hypothetical,
    /// Uncertain ("possible", "rule out", "cannot exclude").
    Possible,
    /// Was present and has gone ("has resolved", "no longer").
    Resolved,
    /// About someone other than the patient ("mother had").
    Other,
}

/// The status of one mention, with the trigger that decided it (if any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub status: Status,
    /// The trigger phrase as written in the text, and its byte range in the text.
    pub trigger: Option<(String, Range<usize>)>,
}

/// Trigger definitions as they appear in a rule pack (`context:` section).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ContextSection {
    #[serde(default)]
    pub triggers: Vec<serde_yaml::Value>,
}

/// Compiled triggers.
#[derive(Debug, Default)]
pub struct ContextEngine {}

impl ContextEngine {
    /// Compiles the trigger sections of all packs (later sections extend earlier ones).
    pub fn compile(_sections: &[&ContextSection]) -> Result<Self, String> {
        Ok(ContextEngine {})
    }

    /// Assesses every target span (byte ranges into `text`, sorted or not) and returns one
    /// assessment per target, in the same order. `text` may hold many sentences.
    pub fn assess(&self, _text: &str, targets: &[Range<usize>]) -> Vec<Assessment> {
        targets
            .iter()
            .map(|_| Assessment {
                status: Status::Present,
                trigger: None,
            })
            .collect()
    }
}
