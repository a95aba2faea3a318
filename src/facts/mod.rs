pub mod context;
pub mod extract;
pub mod matcher;
pub mod sentence;
