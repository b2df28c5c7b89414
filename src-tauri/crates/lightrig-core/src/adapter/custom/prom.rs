//! A small reader for the Prometheus text exposition format (and the OpenMetrics text that
//! extends it): `name{label="value",…} value [timestamp]` lines, `#` comments (HELP, TYPE,
//! EOF). Timestamps and exemplars are ignored; `NaN` and `±Inf` are read as numbers and left to
//! the caller to refuse. A line that cannot be read is skipped, not fatal.

/// Which series to read: a metric name and label values that must match exactly.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Selector {
    pub name: String,
    pub labels: Vec<(String, String)>,
}

/// One sample line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sample {
    pub name: String,
    pub labels: Vec<(String, String)>,
    pub value: f64,
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == ':'
}

/// Splits a metric name off the front of `s`.
fn take_name(s: &str) -> Option<(&str, &str)> {
    if !s.starts_with(is_name_start) {
        return None;
    }
    let end = s.find(|c: char| !is_name_char(c)).unwrap_or(s.len());
    Some(s.split_at(end))
}

/// Reads `{a="x",b="y\"z"}` off the front of `s` (which starts with `{`); returns the labels and
/// what follows the `}`.
fn take_labels(s: &str) -> Option<(Vec<(String, String)>, &str)> {
    let mut rest = s.strip_prefix('{')?;
    let mut labels = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix('}') {
            return Some((labels, after));
        }
        let (name, after) = take_name(rest)?;
        rest = after.trim_start().strip_prefix('=')?.trim_start().strip_prefix('"')?;
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let close = loop {
            match chars.next()? {
                (i, '"') => break i,
                (_, '\\') => match chars.next()?.1 {
                    'n' => value.push('\n'),
                    c => value.push(c), // `\\` and `\"`
                },
                (_, c) => value.push(c),
            }
        };
        labels.push((name.to_owned(), value));
        rest = rest.get(close + 1..)?.trim_start();
        if let Some(after) = rest.strip_prefix(',') {
            rest = after;
        } else if !rest.starts_with('}') {
            return None;
        }
    }
}

/// One line as a sample; `None` for comments, blank lines and lines that cannot be read.
pub(crate) fn sample(line: &str) -> Option<Sample> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (name, rest) = take_name(line)?;
    let rest = rest.trim_start();
    let (labels, rest) =
        if rest.starts_with('{') { take_labels(rest)? } else { (Vec::new(), rest) };
    // The value is the next field; a timestamp or an exemplar may follow and is ignored.
    let value = rest.split_whitespace().next()?.parse::<f64>().ok()?;
    Some(Sample { name: name.to_owned(), labels, value })
}

impl Selector {
    /// `name` or `name{label="value",…}`.
    pub(crate) fn parse(s: &str) -> Result<Selector, String> {
        let s = s.trim();
        let (name, rest) = take_name(s).ok_or("it must start with a metric name")?;
        let rest = rest.trim();
        let labels = if rest.is_empty() {
            Vec::new()
        } else {
            match take_labels(rest) {
                Some((labels, tail)) if tail.trim().is_empty() => labels,
                _ => return Err("labels must look like {name=\"value\",other=\"value\"}".into()),
            }
        };
        Ok(Selector { name: name.to_owned(), labels })
    }

    fn matches(&self, s: &Sample) -> bool {
        s.name == self.name && self.labels.iter().all(|want| s.labels.contains(want))
    }

    /// The first matching sample's value and how many samples matched.
    pub(crate) fn find(&self, text: &str) -> (Option<f64>, usize) {
        let mut first = None;
        let mut count = 0;
        for s in text.lines().filter_map(sample).filter(|s| self.matches(s)) {
            first = first.or(Some(s.value));
            count += 1;
        }
        (first, count)
    }
}
