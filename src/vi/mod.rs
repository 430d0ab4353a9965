//! Vietnamese text conventions: numbers, dates, slugs and alphabetical order.
//! Kept apart from the model so every page and data file formats the same way.

pub mod collate;
pub mod date;
pub mod number;
pub mod slug;
