pub mod context;
pub mod extract;
pub mod literals;
pub mod matcher;
pub mod patterns;
pub mod scan;
pub mod sentence;
