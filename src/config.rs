//! The project configuration file, `imrlint.yaml`: rule packs, which files a run reads,
//! rules turned off or re-levelled, and whether warnings fail the run. Unknown keys are
//! errors with their line and column, like rule files.

use crate::rules::error::{RuleError, SourceFile};
use crate::rules::load::{closest, did_you_mean_help, yaml_message_and_span};
use crate::rules::model::Severity;
use crate::span::Span;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The file name looked for in the current directory and its parents.
pub const CONFIG_FILE: &str = "imrlint.yaml";

/// The level a rule is set to in `rules-config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    /// The severity findings get, or `None` when the rule is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// `imrlint.yaml` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Rule pack directories, relative to the configuration file.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// Whether the pack compiled into imrlint is loaded (default true).
    #[serde(default = "yes")]
    pub default_rules: bool,
    /// Globs, relative to the configuration file, that files found by walking a
    /// directory must match (all when empty).
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs, relative to the configuration file, of files passed over.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Rule id to `off`, `info`, `warning` or `error`.
    #[serde(default)]
    pub rules_config: BTreeMap<String, Level>,
    /// Exit 1 on warnings too.
    #[serde(default)]
    pub deny_warnings: bool,
}

fn yes() -> bool {
    true
}

/// A loaded configuration, paths resolved.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from; `None` when no file was found.
    pub path: Option<PathBuf>,
    /// The directory paths and globs are relative to.
    pub root: PathBuf,
    pub rule_dirs: Vec<PathBuf>,
    pub default_rules: bool,
    pub filter: FileFilter,
    pub levels: BTreeMap<String, Level>,
    pub deny_warnings: bool,
    source: Option<SourceFile>,
}

impl Config {
    /// No file: every default.
    pub fn none(root: PathBuf) -> Self {
        Config {
            path: None,
            root: root.clone(),
            rule_dirs: vec![],
            default_rules: true,
            filter: FileFilter::new(root, &[], &[]).expect("empty globs"),
            levels: BTreeMap::new(),
            deny_warnings: false,
            source: None,
        }
    }

    /// An error about a rule id in `rules-config` that no pack defines.
    pub fn check_rule_ids<'a>(
        &self,
        known: impl Iterator<Item = &'a str> + Clone,
    ) -> Result<(), Vec<RuleError>> {
        let Some(file) = &self.source else {
            return Ok(());
        };
        let mut errors = Vec::new();
        for id in self.levels.keys() {
            if known.clone().any(|k| k == id) {
                continue;
            }
            let span = locate_key(&file.text, id);
            let mut e = RuleError::new(
                file,
                "config/unknown-rule",
                format!("`rules-config` names the rule `{id}`, which no loaded pack defines"),
            )
            .at(span, "unknown rule id");
            e = match closest(id, known.clone()) {
                Some(b) => e.help(format!("did you mean `{b}`?")),
                None => e.help("`imrlint rules check` lists the loaded packs"),
            };
            errors.push(e);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Where `id:` is written as a key in the `rules-config` block.
fn locate_key(text: &str, id: &str) -> Option<Span> {
    let block = text.find("rules-config").unwrap_or(0);
    let re = regex::Regex::new(&format!(
        r#"(?m)(?:^\s*|[{{,]\s*)["']?({})["']?\s*:"#,
        regex::escape(id)
    ))
    .ok()?;
    let c = re.captures_at(text, block)?;
    let m = c.get(1)?;
    Some(Span::new(m.start(), m.end()))
}

/// Include and exclude globs, matched against paths relative to the configuration file.
#[derive(Debug, Clone)]
pub struct FileFilter {
    root: PathBuf,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl FileFilter {
    pub fn new(root: PathBuf, include: &[String], exclude: &[String]) -> Result<Self, String> {
        let build = |globs: &[String]| -> Result<Option<GlobSet>, String> {
            if globs.is_empty() {
                return Ok(None);
            }
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(
                    Glob::new(g.trim_start_matches("./"))
                        .map_err(|e| format!("invalid glob `{g}`: {e}"))?,
                );
            }
            b.build().map(Some).map_err(|e| e.to_string())
        };
        Ok(FileFilter {
            root,
            include: build(include)?,
            exclude: build(exclude)?,
        })
    }

    /// Why a file found by walking a directory is passed over, if it is.
    pub fn skip_reason(&self, path: &Path) -> Option<&'static str> {
        if self.include.is_none() && self.exclude.is_none() {
            return None;
        }
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let rel = abs.strip_prefix(&self.root).unwrap_or(path);
        if self.exclude.as_ref().is_some_and(|x| x.is_match(rel)) {
            return Some("excluded by configuration");
        }
        if self.include.as_ref().is_some_and(|i| !i.is_match(rel)) {
            return Some("not included by configuration");
        }
        None
    }
}

/// `imrlint.yaml` in `dir` or the nearest parent that has one.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

/// Loads the configuration: `explicit` when given, else the nearest `imrlint.yaml` above
/// `cwd`, else the defaults.
pub fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Config, Vec<RuleError>> {
    let Some(path) = explicit.map(Path::to_path_buf).or_else(|| discover(cwd)) else {
        return Ok(Config::none(cwd.to_path_buf()));
    };
    let path = std::path::absolute(&path).unwrap_or(path);
    let display = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| {
        vec![RuleError::new(
            &SourceFile {
                path: display.clone(),
                text: Arc::from(""),
            },
            "config/unreadable",
            format!("cannot read the configuration file: {e}"),
        )]
    })?;
    let file = SourceFile {
        path: display,
        text: Arc::from(text.as_str()),
    };
    let parsed: ConfigFile = if text.trim().is_empty() {
        ConfigFile {
            default_rules: true,
            ..Default::default()
        }
    } else {
        serde_yaml::from_str(&text).map_err(|e| vec![yaml_error(&file, e)])?
    };
    let root = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cwd.to_path_buf());
    let filter = FileFilter::new(root.clone(), &parsed.include, &parsed.exclude).map_err(|m| {
        let bad = m.split('`').nth(1).unwrap_or("");
        let span = (!bad.is_empty())
            .then(|| text.find(bad).map(|s| Span::new(s, s + bad.len())))
            .flatten();
        vec![RuleError::new(&file, "config/invalid-glob", m).at(span, "here")]
    })?;
    Ok(Config {
        path: Some(path),
        rule_dirs: parsed.rules.iter().map(|d| root.join(d)).collect(),
        root,
        default_rules: parsed.default_rules,
        filter,
        levels: parsed.rules_config,
        deny_warnings: parsed.deny_warnings,
        source: Some(file),
    })
}

fn yaml_error(file: &SourceFile, e: serde_yaml::Error) -> RuleError {
    let (msg, span) = yaml_message_and_span(file, &e);
    let help = did_you_mean_help(&msg)
        .unwrap_or_else(|| "see \"Configuration file\" in the README".to_string());
    RuleError::new(file, "config/invalid", msg)
        .at(span, "here")
        .help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_located() {
        // Removed when dropped, also when an assertion fails.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(CONFIG_FILE);
        std::fs::write(&p, "default-rules: true\ndeny-warning: true\n").unwrap();
        let errs = load(Some(&p), dir.path()).unwrap_err();
        assert_eq!(errs[0].line_col(), Some((2, 1)));
        assert_eq!(
            errs[0].help.as_deref(),
            Some("did you mean `deny-warnings`?")
        );
    }

    #[test]
    fn key_location_in_rules_config() {
        let text = "rules: []\nrules-config:\n  foo: off\n  bar-baz: error\n";
        let s = locate_key(text, "bar-baz").unwrap();
        assert_eq!(&text[s.start..s.end], "bar-baz");
    }
}
