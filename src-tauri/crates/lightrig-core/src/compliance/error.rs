//! Errors of the knowledge base. Every error names the file and, where the TOML parser or a span
//! can tell, the line and the field, so a reviewer who breaks a file sees where at once.

use std::fmt;

/// Where in a data file something went wrong: the file name and, when known, the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: Option<usize>,
}

impl Place {
    /// The place of byte `offset` in `text` (the file's contents).
    pub(super) fn at(file: &str, text: &str, offset: Option<usize>) -> Self {
        Place { file: file.to_owned(), line: offset.map(|o| line_of(text, o)) }
    }

    pub(super) fn file(file: &str) -> Self {
        Place { file: file.to_owned(), line: None }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file),
            None => f.write_str(&self.file),
        }
    }
}

/// Why the knowledge base refused a file. The message says what is wrong and what to do.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    /// The file is not valid TOML, has an unknown key, or a value of the wrong type.
    #[error("{at}: `{field}`: {message}")]
    Parse { at: Place, field: String, message: String },
    /// The file parsed but a value breaks a rule of the schema (see compliance/README.md).
    #[error("{at}: `{field}`: {reason}")]
    Invalid { at: Place, field: String, reason: String },
    /// Two files describe the same thing differently (a jurisdiction twice, or one instrument
    /// with two different URLs or confidence flags).
    #[error("{at}: `{field}`: {reason} (see {other})")]
    Conflict { at: Place, field: String, reason: String, other: String },
}

impl KbError {
    /// The file the error is in.
    pub fn file(&self) -> &str {
        &self.place().file
    }

    /// The 1-based line, when known.
    pub fn line(&self) -> Option<usize> {
        self.place().line
    }

    /// The dotted path of the field at fault, e.g. `activity.pow-mining.status`.
    pub fn field(&self) -> &str {
        match self {
            KbError::Parse { field, .. }
            | KbError::Invalid { field, .. }
            | KbError::Conflict { field, .. } => field,
        }
    }

    fn place(&self) -> &Place {
        match self {
            KbError::Parse { at, .. }
            | KbError::Invalid { at, .. }
            | KbError::Conflict { at, .. } => at,
        }
    }

    /// Turns a toml error into a [`KbError::Parse`] naming the table and key at its span.
    pub(super) fn from_toml(file: &str, text: &str, err: &toml::de::Error) -> Self {
        let offset = err.span().map(|s| s.start);
        let field = offset.map(|o| field_at(text, o)).unwrap_or_default();
        let field = if field.is_empty() { "(file)".to_owned() } else { field };
        KbError::Parse {
            at: Place::at(file, text, offset),
            field,
            message: err.message().trim().to_owned(),
        }
    }
}

/// 1-based line number of byte `offset` in `text`.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
}

/// Best-effort dotted path of the key at byte `offset`: the last `[table]` header above it plus
/// the key on its own line. Used only to make parser errors readable.
fn field_at(text: &str, offset: usize) -> String {
    let end = offset.min(text.len());
    let start_of_line = text[..end].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start_of_line..].lines().next().unwrap_or("");
    let trimmed = line.trim_start();
    let key = if trimmed.starts_with('[') {
        String::new()
    } else {
        trimmed.split('=').next().unwrap_or("").trim().to_owned()
    };
    let table = text[..start_of_line]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_owned());
    let table = if trimmed.starts_with('[') {
        Some(trimmed.trim_matches(|c| c == '[' || c == ']').trim().to_owned())
    } else {
        table
    };
    match (table, key.is_empty()) {
        (Some(t), false) => format!("{t}.{key}"),
        (Some(t), true) => t,
        (None, _) => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_at_names_table_and_key() {
        let text = "schema = 1\n[activity.staking]\nstatus = \"x\"\n";
        let offset = text.find("status").unwrap();
        assert_eq!(field_at(text, offset), "activity.staking.status");
        assert_eq!(field_at(text, 0), "schema");
        assert_eq!(line_of(text, offset), 3);
    }
}
