//! Secrets in memory: redacted in `Debug`, refused by `Serialize` (it does not implement it),
//! so a token cannot slip into a log line or a JSON answer by accident.

use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Sensitive(value)
    }
    /// The secret itself. Call sites are few and deliberate: passing it to the node, or to
    /// the node's API.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sensitive(<redacted>)")
    }
}

/// Replaces every occurrence of a secret in `line` with `<redacted>`.
pub fn mask(line: &str, secrets: &[Sensitive<String>]) -> String {
    let mut out = line.to_owned();
    for s in secrets {
        if !s.0.is_empty() && out.contains(s.0.as_str()) {
            out = out.replace(s.0.as_str(), "<redacted>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let s = Sensitive::new("canary-7f3a".to_string());
        assert!(!format!("{s:?}").contains("canary"));
        assert_eq!(mask("token=canary-7f3a ok", &[s]), "token=<redacted> ok");
    }
}
