//! Writing CSV the same way for every format: RFC 4180 (comma, double quotes, CRLF), UTF-8
//! without a byte-order mark (tax tools compare the first header name byte for byte), a header
//! row first and no comment lines (the tools read the first line as the header).
//!
//! Text that came from outside Lightrig (node ids, sources, payout ids, tariff labels, price
//! sources) goes through [`Row::text`], which defuses spreadsheet formulas: a cell starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet shows it as
//! text instead of running it. Numbers and dates Lightrig formats itself go through
//! [`Row::value`] unchanged, so a negative amount stays a number.

use std::io::Write;

use super::ExportError;

/// Characters a spreadsheet may take as the start of a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text`, made safe to open in a spreadsheet.
pub(crate) fn defuse(text: &str) -> String {
    if text.starts_with(FORMULA_START) { format!("'{text}") } else { text.to_owned() }
}

/// One row being built.
#[derive(Debug, Default)]
pub(crate) struct Row(Vec<String>);

impl Row {
    pub(crate) fn new() -> Row {
        Row::default()
    }

    /// Outside text: defused.
    pub(crate) fn text(mut self, text: &str) -> Row {
        self.0.push(defuse(text));
        self
    }

    /// A number, date or fixed word Lightrig formatted itself.
    pub(crate) fn value(mut self, value: impl Into<String>) -> Row {
        self.0.push(value.into());
        self
    }

    /// An empty cell ("not available" or "does not apply").
    pub(crate) fn empty(self) -> Row {
        self.value("")
    }

    /// A number or nothing.
    pub(crate) fn maybe(self, value: Option<String>) -> Row {
        self.value(value.unwrap_or_default())
    }

    /// Outside text or nothing.
    pub(crate) fn maybe_text(self, text: Option<&str>) -> Row {
        match text {
            Some(t) => self.text(t),
            None => self.empty(),
        }
    }
}

/// A CSV document with a fixed header, written as it goes.
pub(crate) struct Table<W: Write> {
    writer: csv::Writer<W>,
    columns: usize,
}

impl<W: Write> Table<W> {
    pub(crate) fn new(header: &[&str], out: W) -> Result<Table<W>, ExportError> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(out);
        writer.write_record(header).map_err(csv_error)?;
        Ok(Table { writer, columns: header.len() })
    }

    pub(crate) fn push(&mut self, row: Row) -> Result<(), ExportError> {
        if row.0.len() != self.columns {
            return Err(ExportError::Internal(format!(
                "a row has {} cells for {} columns",
                row.0.len(),
                self.columns
            )));
        }
        self.writer.write_record(&row.0).map_err(csv_error)
    }

    pub(crate) fn finish(mut self) -> Result<(), ExportError> {
        self.writer.flush().map_err(ExportError::Write)
    }
}

fn csv_error(e: csv::Error) -> ExportError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => ExportError::Write(io),
        other => ExportError::Internal(format!("writing CSV: {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_plain_text_is_not() {
        for bad in ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(defuse(bad), format!("'{bad}"));
        }
        for fine in ["p2pool local/stratum", "xmrig-1", "1-2", "", "'quoted"] {
            assert_eq!(defuse(fine), fine);
        }
    }

    #[test]
    fn rows_are_quoted_only_when_needed_and_end_in_crlf() {
        let mut out = Vec::new();
        let mut t = Table::new(&["a", "b"], &mut out).unwrap();
        t.push(Row::new().text("x, \"y\"").value("-1.5")).unwrap();
        t.finish().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a,b\r\n\"x, \"\"y\"\"\",-1.5\r\n");
        let mut t = Table::new(&["a", "b"], Vec::new()).unwrap();
        assert!(t.push(Row::new().empty()).is_err(), "a short row is a bug, not a file");
    }
}
