//! Tests of the exports on a fixed ledger: golden files, re-reading each CSV in the column
//! layout its tool documents, and the rules every format keeps.

mod fixture;
mod golden;
mod ledger_prices;
mod reimport;
mod rules;
