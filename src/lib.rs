pub mod compute;
pub mod diagnostics;
pub mod load;
pub mod model;
pub mod vi;
