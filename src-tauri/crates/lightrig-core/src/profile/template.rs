//! Typed fields and argument templates.
//!
//! A launch argument such as `--threads={threads}` is parsed once, when the profile loads, into
//! literal text and field references. Rendering substitutes each field's *validated* value and
//! always yields exactly one argv element: there is no shell and no word splitting, so a value
//! can never become two arguments. Values are further restricted (no leading `-`, no whitespace,
//! no shell metacharacters) so that even a profile that wraps a command in a shell cannot be
//! steered by a field.

use std::collections::BTreeMap;
use std::fmt;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// A field's value as the user or the profile default gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    Bool(bool),
    Int(i64),
    Text(String),
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Bool(b) => write!(f, "{b}"),
            FieldValue::Int(i) => write!(f, "{i}"),
            FieldValue::Text(s) => f.write_str(s),
        }
    }
}

impl FieldValue {
    pub(crate) fn from_toml(v: &toml::Value) -> Option<FieldValue> {
        match v {
            toml::Value::Boolean(b) => Some(FieldValue::Bool(*b)),
            toml::Value::Integer(i) => Some(FieldValue::Int(*i)),
            toml::Value::String(s) => Some(FieldValue::Text(s.clone())),
            _ => None,
        }
    }
}

/// What a field holds. Each kind has its own validation.
#[derive(Debug, Clone)]
pub enum FieldKind {
    Integer {
        min: i64,
        max: i64,
    },
    Text {
        pattern: Option<Regex>,
        max_len: usize,
    },
    Choice {
        choices: Vec<String>,
    },
    Bool,
    /// A loopback TCP port. Without a value the engine picks a free one for each run.
    Port,
    /// A secret Lightrig generates (e.g. an API token): kept in the keychain for a real node,
    /// made afresh for each run of the practice node. Never user-set, never shown, and never
    /// on the command line: it reaches the node through its environment or a private file.
    Token,
    /// A secret the user types once (e.g. a node's API password). It goes straight to the
    /// keychain; the settings file keeps only the marker `true` ("saved in your keychain"),
    /// and the launch reads the keychain. Never on the command line, never in a log.
    Password,
    /// An absolute filesystem path.
    Path,
    /// A Monero payout address on `network`: base58 in 8-byte blocks, Keccak-256 checksum and
    /// the network byte are checked before the value can reach a command line.
    MoneroAddress {
        network: crate::address::MoneroNetwork,
    },
    /// An Ethereum-style payout address (Storj, Mysterium): 0x + 40 hex digits, with the EIP-55
    /// checksum checked when the letters are mixed case.
    EvmAddress,
}

impl FieldKind {
    pub fn name(&self) -> &'static str {
        match self {
            FieldKind::Integer { .. } => "integer",
            FieldKind::Text { .. } => "text",
            FieldKind::Choice { .. } => "choice",
            FieldKind::Bool => "bool",
            FieldKind::Port => "port",
            FieldKind::Token => "token",
            FieldKind::Password => "password",
            FieldKind::Path => "path",
            FieldKind::MoneroAddress { .. } => "monero-address",
            FieldKind::EvmAddress => "evm-address",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub name: String,
    pub kind: FieldKind,
    pub label: String,
    pub help: Option<String>,
    pub default: Option<FieldValue>,
    pub required: bool,
}

/// Characters refused in text values. None of them is needed in an address, a pool host or
/// a worker name, and each means something to a shell.
const SHELL_META: &[char] = &[
    ';', '&', '|', '$', '`', '<', '>', '(', ')', '{', '}', '[', ']', '*', '?', '!', '~', '\'', '"',
    '\\', '#',
];

impl FieldSpec {
    /// Checks a value against this field. The message is written for the person who typed it.
    pub fn check(&self, value: &FieldValue) -> Result<FieldValue, String> {
        match (&self.kind, value) {
            (FieldKind::Integer { min, max }, FieldValue::Int(i)) => {
                if i < min || i > max {
                    Err(format!("{i} is out of range: use a whole number from {min} to {max}"))
                } else {
                    Ok(value.clone())
                }
            }
            (FieldKind::Port, FieldValue::Int(i)) => {
                if (1..=65535).contains(i) {
                    Ok(value.clone())
                } else {
                    Err(format!("{i} is not a TCP port: use a number from 1 to 65535"))
                }
            }
            (FieldKind::Bool, FieldValue::Bool(_)) => Ok(value.clone()),
            (FieldKind::Choice { choices }, FieldValue::Text(s)) => {
                if choices.iter().any(|c| c == s) {
                    Ok(value.clone())
                } else {
                    Err(format!("`{s}` is not one of the choices: {}", choices.join(", ")))
                }
            }
            (FieldKind::Text { pattern, max_len }, FieldValue::Text(s)) => {
                check_text(s, *max_len)?;
                if let Some(re) = pattern
                    && !re.is_match(s)
                {
                    return Err(format!("`{s}` does not have the expected form ({})", re.as_str()));
                }
                Ok(value.clone())
            }
            (FieldKind::Path, FieldValue::Text(s)) => {
                check_text_chars(s, 4096, true)?;
                if !std::path::Path::new(s).is_absolute() {
                    return Err(format!("`{s}` is not an absolute path: give the full path"));
                }
                Ok(value.clone())
            }
            (FieldKind::MoneroAddress { network }, FieldValue::Text(s)) => {
                let address = crate::address::MoneroPayoutAddress::parse(s.trim())
                    .map_err(|e| e.to_string())?;
                address.require_network(*network).map_err(|e| e.to_string())?;
                Ok(FieldValue::Text(address.as_str().to_owned()))
            }
            (FieldKind::EvmAddress, FieldValue::Text(s)) => {
                let address =
                    crate::address::EvmPayoutAddress::parse(s.trim()).map_err(|e| e.to_string())?;
                Ok(FieldValue::Text(address.as_str().to_owned()))
            }
            (FieldKind::Token, _) => {
                Err("this value is generated by Lightrig for each run and cannot be set".into())
            }
            (FieldKind::Password, FieldValue::Bool(true)) => Ok(value.clone()),
            (FieldKind::Password, _) => Err(PASSWORD_NOT_IN_SETTINGS.into()),
            (kind, other) => Err(format!("expected a {} value, got `{other}`", kind.name())),
        }
    }
}

/// Why a password value is refused where settings are checked: only the keychain holds it.
pub const PASSWORD_NOT_IN_SETTINGS: &str = "a password is kept in your keychain, never in the \
     settings file: enter it on the Nodes screen";

/// The longest password Lightrig keeps, in characters.
pub const PASSWORD_MAX_CHARS: usize = 256;

/// Checks a typed password. The message never repeats the password, since it may be shown
/// or logged.
pub fn check_password(p: &str) -> Result<(), String> {
    if p.is_empty() {
        return Err("is empty: type the password".into());
    }
    if p.chars().count() > PASSWORD_MAX_CHARS {
        return Err(format!("is longer than {PASSWORD_MAX_CHARS} characters"));
    }
    if p.chars().any(|c| c.is_control() || is_invisible(c)) {
        return Err("contains an invisible or control character: type it again".into());
    }
    Ok(())
}

fn check_text(s: &str, max_len: usize) -> Result<(), String> {
    check_text_chars(s, max_len, false)?;
    if let Some(c) = s.chars().find(|c| SHELL_META.contains(c)) {
        return Err(format!("contains `{c}`, which is not allowed in this field"));
    }
    Ok(())
}

fn check_text_chars(s: &str, max_len: usize, allow_space: bool) -> Result<(), String> {
    if s.is_empty() {
        return Err("is empty: enter a value".into());
    }
    if s.chars().count() > max_len {
        return Err(format!("is longer than {max_len} characters"));
    }
    if s.starts_with('-') {
        return Err("starts with `-`, which the node would read as an option".into());
    }
    if let Some(c) = s.chars().find(|c| c.is_control() || is_invisible(*c)) {
        return Err(format!(
            "contains an invisible or control character (U+{:04X}): type the value again",
            u32::from(c)
        ));
    }
    if !allow_space && s.chars().any(char::is_whitespace) {
        return Err("contains a space: remove it".into());
    }
    Ok(())
}

/// Zero-width and bidirectional-control characters that hide in pasted text.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// One parsed template: literal text and field references, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lit(String),
    Field(String),
}

impl Template {
    /// Parses `--port={api_port}`. `{{` and `}}` stand for literal braces.
    pub fn parse(src: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut chars = src.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(ch) => name.push(ch),
                            None => return Err(format!("`{src}`: `{{` is never closed")),
                        }
                    }
                    if !is_field_name(&name) {
                        return Err(format!(
                            "`{src}`: `{{{name}}}` is not a field name (lower-case letters, digits, _)"
                        ));
                    }
                    if !lit.is_empty() {
                        parts.push(Part::Lit(std::mem::take(&mut lit)));
                    }
                    parts.push(Part::Field(name));
                }
                '}' => return Err(format!("`{src}`: a lone `}}` (write `}}}}` for a brace)")),
                other => lit.push(other),
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Lit(lit));
        }
        Ok(Template { parts })
    }

    /// A template with no fields.
    pub fn literal(text: &str) -> Template {
        Template { parts: vec![Part::Lit(text.to_owned())] }
    }

    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Field(f) => Some(f.as_str()),
            Part::Lit(_) => None,
        })
    }

    /// The literal text before the first field (used to check URL prefixes).
    pub fn literal_prefix(&self) -> &str {
        match self.parts.first() {
            Some(Part::Lit(s)) => s,
            _ => "",
        }
    }

    /// Renders with validated values. Every field must be present in `values`; the profile
    /// loader guarantees that every referenced field exists.
    pub fn render(&self, values: &BTreeMap<String, FieldValue>) -> Result<String, String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Lit(s) => out.push_str(s),
                Part::Field(name) => match values.get(name) {
                    Some(v) => out.push_str(&v.to_string()),
                    None => {
                        return Err(format!("`{name}` has no value: set it in the node settings"));
                    }
                },
            }
        }
        Ok(out)
    }
}

pub(crate) fn is_field_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_field() -> FieldSpec {
        FieldSpec {
            name: "worker".into(),
            kind: FieldKind::Text { pattern: None, max_len: 64 },
            label: "Worker".into(),
            help: None,
            default: None,
            required: true,
        }
    }

    #[test]
    fn template_renders_one_argument_per_element() {
        let t = Template::parse("--user={worker}.{{x}}").unwrap();
        let mut v = BTreeMap::new();
        v.insert("worker".to_string(), FieldValue::Text("rig1".into()));
        assert_eq!(t.render(&v).unwrap(), "--user=rig1.{x}");
        assert_eq!(t.fields().collect::<Vec<_>>(), vec!["worker"]);
    }

    #[test]
    fn template_syntax_errors_are_named() {
        assert!(Template::parse("{unclosed").unwrap_err().contains("never closed"));
        assert!(Template::parse("{Bad}").unwrap_err().contains("not a field name"));
        assert!(Template::parse("a}b").unwrap_err().contains("lone"));
    }

    #[test]
    fn text_values_cannot_inject_flags_or_shell_syntax() {
        let f = text_field();
        for bad in
            ["--donate-level=0", "a;rm -rf /", "$(id)", "a b", "x`y`", "a\u{200B}b", "a\nb", ""]
        {
            assert!(f.check(&FieldValue::Text(bad.into())).is_err(), "{bad:?} accepted");
        }
        assert!(f.check(&FieldValue::Text("rig-01.office".into())).is_ok());
    }

    #[test]
    fn integers_ports_and_choices_are_range_checked() {
        let f = FieldSpec { kind: FieldKind::Integer { min: 1, max: 8 }, ..text_field() };
        assert!(f.check(&FieldValue::Int(0)).unwrap_err().contains("from 1 to 8"));
        assert!(f.check(&FieldValue::Int(8)).is_ok());
        assert!(f.check(&FieldValue::Text("3".into())).is_err());
        let p = FieldSpec { kind: FieldKind::Port, ..text_field() };
        assert!(p.check(&FieldValue::Int(70000)).is_err());
        let c = FieldSpec { kind: FieldKind::Choice { choices: vec!["a".into()] }, ..text_field() };
        assert!(c.check(&FieldValue::Text("b".into())).is_err());
        let t = FieldSpec { kind: FieldKind::Token, ..text_field() };
        assert!(t.check(&FieldValue::Text("abc".into())).is_err());
    }
}
