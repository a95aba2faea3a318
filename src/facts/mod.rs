pub mod context;
pub mod extract;
pub mod hir_code;
pub mod literals;
pub mod matcher;
pub mod patterns;
pub mod scan;
pub mod sentence;
