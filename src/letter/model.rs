//! The `Case` model every letter layout parses into. Every field keeps its byte span
//! into the user's file, so findings can point at the exact words.

use super::text::{Joined, SourceMap};
use crate::citation::Citation;
use crate::span::Span;
use serde::{Deserialize, Serialize};

/// A piece of letter text with its span in the source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub text: String,
    pub span: Span,
    /// Offsets of `text` back into the source (absent for structured input).
    #[serde(skip)]
    pub map: Option<SourceMap>,
}

impl Field {
    pub fn from_joined(joined: Joined) -> Self {
        Field {
            span: joined.span(),
            text: joined.text,
            map: Some(joined.map),
        }
    }

    /// A field read from one run of source text starting at `span.start`; its text is
    /// normalised like every joined paragraph (white space, quotes, dashes).
    pub fn plain(text: &str, span: Span) -> Self {
        let joined = Joined::from_source(text, span.start);
        Field {
            text: joined.text,
            span,
            map: Some(joined.map),
        }
    }

    /// The field's text with its map, for reading parts of it as fields of their own
    /// ([`super::items::sub_field`]).
    pub fn joined(&self) -> Joined {
        match &self.map {
            Some(map) => Joined {
                text: self.text.clone(),
                map: map.clone(),
            },
            None => Joined::from_source(&self.text, self.span.start),
        }
    }

    /// Maps a byte range of `text` to a span of the source file.
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        match &self.map {
            Some(m) => m.source_span(start, end),
            None => self.span,
        }
    }

    /// [`Field::source_span`] for ranges taken in order of start (see
    /// [`SourceMap::source_span_after`]).
    pub fn source_span_after(&self, cursor: &mut usize, start: usize, end: usize) -> Span {
        match &self.map {
            Some(m) => m.source_span_after(cursor, start, end),
            None => self.span,
        }
    }
}

/// A value read from the letter, with where it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Value<T> {
    pub value: T,
    pub span: Span,
}

/// A date as the letter wrote it, with its ISO form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateValue {
    /// ISO 8601 (YYYY-MM-DD).
    pub date: String,
    pub text: String,
    pub span: Span,
}

impl DateValue {
    /// Days since 0000-03-01 (proleptic Gregorian), for date arithmetic.
    pub fn day_number(&self) -> Option<i64> {
        let mut parts = self.date.split('-').map(|p| p.parse::<i64>().ok());
        let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
        let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
        Some(365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 1)
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    PartialOrd,
    Ord,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// The utilization-review denial stands: not medically necessary.
    Upheld,
    /// The denial is reversed: medically necessary.
    Overturned,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Upheld => "upheld",
            Decision::Overturned => "overturned",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sex {
    Male,
    Female,
}

/// The optional header block of published letters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Header {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub case_number: Option<Field>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date_assigned: Option<DateValue>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date_of_injury: Option<DateValue>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub decision_date: Option<DateValue>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ur_denial_date: Option<DateValue>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub priority: Option<Field>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_received: Option<DateValue>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub treatments_in_dispute: Option<Field>,
}

/// The expert reviewer's credentials as the letter states them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reviewer {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub licensure: Option<Field>,
    #[serde(default)]
    pub specialties: Vec<Field>,
}

/// Facts about the injured worker read from the case summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Patient {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub age: Option<Value<u32>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sex: Option<Value<Sex>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date_of_injury: Option<DateValue>,
    #[serde(default)]
    pub visit_dates: Vec<DateValue>,
}

/// One disputed item ("MRI of the lumbar spine: Upheld").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// 1-based position in the letter (letters often number every item "1").
    pub n: usize,
    pub span: Span,
    pub request: Field,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub decision: Option<Value<Decision>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub claims_guideline: Option<Citation>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reviewer_guideline: Option<Citation>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rationale: Option<Field>,
}

/// Something the parser could not read; becomes a `format` finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParseProblem {
    /// Stable id, used as the rule id of the `format` finding (e.g. `format/no-items`).
    pub code: String,
    pub message: String,
    pub span: Span,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub item: Option<usize>,
}

/// A parsed letter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Layout id: "A" (2014-2016 "Case Number" letters), ...
    pub layout: String,
    #[serde(default)]
    pub header: Header,
    /// Empty in a case read for rules only ([`super::Reading::ForRules`]).
    #[serde(default)]
    pub reviewer: Reviewer,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub summary: Option<Field>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub documents_reviewed: Option<Field>,
    #[serde(default)]
    pub patient: Patient,
    #[serde(default)]
    pub items: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<ParseProblem>,
}
