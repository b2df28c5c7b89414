//! Where a TOML field sits in its file, so every error names the file, line and field.
//!
//! serde tells us *what* is wrong with a value; `toml_edit` keeps the spans that tell us
//! *where*. Validation errors found after deserialising (a range, a pattern, a cross-field rule)
//! are located here by their dotted field path.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a TOML file: the file, the 1-based line when known, and the dotted field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub field: Option<String>,
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, " (field `{field}`)")?;
        }
        Ok(())
    }
}

/// 1-based line number of a byte offset.
pub fn line_of_offset(src: &str, offset: usize) -> usize {
    let end = offset.min(src.len());
    src.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Finds the line of a dotted field path such as `fields.threads.max` or `launch.args.2`.
/// Returns the line of the deepest part of the path that exists, or `None` when not even the
/// first segment does (e.g. a missing required top-level field).
pub fn locate(src: &str, path: &str) -> Option<usize> {
    let doc = toml_edit::Document::parse(src).ok()?;
    let segs: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
    walk_table(doc.as_table(), &segs, None).map(|s| line_of_offset(src, s.start))
}

type Span = Option<std::ops::Range<usize>>;

fn walk_table(t: &toml_edit::Table, segs: &[&str], span: Span) -> Span {
    let Some((seg, rest)) = segs.split_first() else { return span.or_else(|| t.span()) };
    match t.get_key_value(seg) {
        Some((key, item)) => walk_item(item, rest, key.span().or(span)),
        None => span,
    }
}

fn walk_item(item: &toml_edit::Item, segs: &[&str], span: Span) -> Span {
    match item {
        toml_edit::Item::Table(t) => walk_table(t, segs, span),
        toml_edit::Item::Value(v) => walk_value(v, segs, span),
        toml_edit::Item::ArrayOfTables(a) => {
            let Some((seg, rest)) = segs.split_first() else { return span };
            match seg.parse::<usize>().ok().and_then(|i| a.get(i)) {
                Some(t) => walk_table(t, rest, t.span().or(span)),
                None => span,
            }
        }
        toml_edit::Item::None => span,
    }
}

fn walk_value(v: &toml_edit::Value, segs: &[&str], span: Span) -> Span {
    let Some((seg, rest)) = segs.split_first() else { return span.or_else(|| v.span()) };
    match v {
        toml_edit::Value::InlineTable(t) => match t.get_key_value(seg) {
            Some((key, inner)) => walk_item(inner, rest, key.span().or(span)),
            None => span,
        },
        toml_edit::Value::Array(a) => match seg.parse::<usize>().ok().and_then(|i| a.get(i)) {
            Some(inner) => walk_value(inner, rest, inner.span().or(span)),
            None => span,
        },
        _ => span,
    }
}

/// The display name used for embedded (built-in) files.
pub fn builtin_path(name: &str) -> PathBuf {
    Path::new("<built-in>").join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "id = \"x\"\n\n[launch]\nargs = [\"a\",\n  \"{b}\"]\n\n[fields.threads]\ntype = \"integer\"\nmax = 9\n\n[[extra]]\nname = \"one\"\n[[extra]]\nname = \"two\"\n";

    #[test]
    fn locates_nested_fields_array_items_and_tables_of_arrays() {
        assert_eq!(locate(DOC, "id"), Some(1));
        assert_eq!(locate(DOC, "launch.args.1"), Some(5));
        assert_eq!(locate(DOC, "fields.threads.max"), Some(9));
        assert_eq!(locate(DOC, "extra.1.name"), Some(14));
        // A missing leaf falls back to the deepest part that exists.
        assert_eq!(locate(DOC, "fields.threads.min"), Some(7));
        assert_eq!(locate(DOC, "nope"), None);
    }
}
