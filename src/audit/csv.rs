//! `items.csv` and `findings.csv`, written row by row as letters are read (RFC 4180:
//! comma-separated, fields quoted when they hold a comma, quote or line break).

use crate::eval::Finding;
use crate::letter::Decision;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

pub const ITEMS_HEADER: &str = "path,item,request,class,decision,implied_decision,agrees,decision_date,month,licensure,specialties,profile,findings,decision_findings,citation_findings,contradiction_findings,grounding_findings,format_findings,rules_fired,facts";
pub const FINDINGS_HEADER: &str = "path,item,class,profile,rule,kind,severity,line,column,message";

/// One row of `items.csv`.
pub struct ItemRow<'a> {
    pub path: &'a str,
    pub item: usize,
    pub request: &'a str,
    pub class: &'a str,
    pub decision: Option<Decision>,
    pub implied: Option<Decision>,
    pub conflict: bool,
    pub decision_date: Option<&'a str>,
    pub licensure: &'a str,
    pub specialties: &'a [String],
    pub profile: &'a str,
    pub findings: &'a [&'a Finding],
    pub facts: &'a [String],
}

#[derive(Debug)]
pub struct CsvSink {
    items: BufWriter<File>,
    findings: BufWriter<File>,
}

/// Quotes a field when it needs it.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl CsvSink {
    pub fn create(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut items = BufWriter::new(File::create(dir.join("items.csv"))?);
        let mut findings = BufWriter::new(File::create(dir.join("findings.csv"))?);
        writeln!(items, "{ITEMS_HEADER}")?;
        writeln!(findings, "{FINDINGS_HEADER}")?;
        Ok(CsvSink { items, findings })
    }

    pub fn item(&mut self, r: &ItemRow<'_>) {
        use crate::rules::model::Kind;
        let dec = |d: Option<Decision>| d.map(|d| d.as_str()).unwrap_or("");
        let implied = if r.conflict {
            "conflicting"
        } else {
            dec(r.implied)
        };
        let agrees = match (r.implied, r.decision) {
            (Some(i), Some(d)) if !r.conflict => {
                if i == d {
                    "yes"
                } else {
                    "no"
                }
            }
            _ => "",
        };
        let count = |k: Kind| {
            r.findings
                .iter()
                .filter(|f| f.kind == k)
                .count()
                .to_string()
        };
        let mut rules: Vec<&str> = r.findings.iter().map(|f| f.rule.as_str()).collect();
        rules.dedup();
        let cols = [
            field(r.path),
            r.item.to_string(),
            field(r.request),
            field(r.class),
            dec(r.decision).to_string(),
            implied.to_string(),
            agrees.to_string(),
            r.decision_date.unwrap_or("").to_string(),
            r.decision_date
                .and_then(|d| d.get(..7))
                .unwrap_or("")
                .to_string(),
            field(r.licensure),
            field(&r.specialties.join("; ")),
            field(r.profile),
            r.findings.len().to_string(),
            count(Kind::Decision),
            count(Kind::Citation),
            count(Kind::Contradiction),
            count(Kind::Grounding),
            count(Kind::Format),
            field(&rules.join(" ")),
            field(&r.facts.join("; ")),
        ];
        let _ = writeln!(self.items, "{}", cols.join(","));
    }

    pub fn finding(
        &mut self,
        path: &str,
        class: &str,
        profile: &str,
        f: &Finding,
        line: usize,
        column: usize,
    ) {
        let cols = [
            field(path),
            f.item.map(|i| i.to_string()).unwrap_or_default(),
            field(class),
            field(profile),
            field(&f.rule),
            f.kind.as_str().to_string(),
            f.severity.as_str().to_string(),
            line.to_string(),
            column.to_string(),
            field(&f.message),
        ];
        let _ = writeln!(self.findings, "{}", cols.join(","));
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.items.flush()?;
        self.findings.flush()
    }
}
