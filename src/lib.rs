//! servicekb: a static site generator for multilingual service-quality
//! knowledge bases. Data flows one way: load → resolve → render → write.

pub mod commands;
pub mod diagnostics;
pub mod fsguard;
pub mod hash;
pub mod html_guard;
pub mod incremental;
pub mod load;
pub mod markdown;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod resolve;
pub mod routes;
pub mod sanitize;
pub mod search_index;
pub mod serve;
pub mod source;
pub mod text;
pub mod theme;
pub mod timing;
pub mod translations;
pub mod units;
pub mod urls;
pub mod write;
pub mod yaml;
