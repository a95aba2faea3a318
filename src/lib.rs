//! imrlint: checks California IMR determination letters against treatment guidelines.

pub mod audit;
pub mod baseline;
pub mod check;
pub mod citation;
pub mod config;
pub mod eval;
pub mod facts;
pub mod input;
pub mod letter;
pub mod negex_eval;
pub mod pdf;
pub mod re;
pub mod report;
pub mod rules;
pub mod run;
pub mod span;
