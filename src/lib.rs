//! imrlint: checks California IMR determination letters against treatment guidelines.

pub mod citation;
pub mod facts;
pub mod letter;
pub mod negex_eval;
pub mod span;
pub mod rules;
pub mod eval;
pub mod check;
pub mod input;
pub mod report;
