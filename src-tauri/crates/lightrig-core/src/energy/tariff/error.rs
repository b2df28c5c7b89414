//! What can be wrong with a tariff, naming the field or line.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum TariffError {
    #[error("the tariff is not valid TOML: {reason}")]
    Parse { reason: String },
    #[error("tariff field `{field}`: {problem}")]
    Field { field: String, problem: String },
    #[error("price list line {line}: {problem}")]
    Csv { line: u64, problem: String },
    #[error("cannot read the price list {}: {source}. Check that the file exists and is readable", path.display())]
    ReadCsv {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("no electricity price is known for {at}: {why}")]
    NoPrice { at: String, why: String },
}

impl TariffError {
    pub(crate) fn field(field: impl Into<String>, problem: impl Into<String>) -> TariffError {
        TariffError::Field { field: field.into(), problem: problem.into() }
    }
}
