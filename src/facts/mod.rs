pub mod context;
pub mod extract;
pub mod matcher;
pub mod patterns;
pub mod sentence;
