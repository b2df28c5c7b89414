//! Secrets in memory: redacted in `Debug`, refused by `Serialize` (it does not implement it),
//! so a token cannot slip into a log line or a JSON answer by accident. At rest they live in
//! the OS keychain ([`SecretStore`]), never in a file.
//!
//! A struct holding a `Sensitive` cannot derive `Serialize`:
//!
//! ```compile_fail
//! use lightrig_core::secret::Sensitive;
//!
//! #[derive(serde::Serialize)]
//! struct Answer {
//!     token: Sensitive<String>,
//! }
//!
//! let answer = Answer { token: Sensitive::new("canary".to_string()) };
//! let _ = serde_json::to_string(&answer);
//! ```
//!
//! The same struct with a plain `String` compiles, so the refusal above is the `Sensitive`:
//!
//! ```
//! #[derive(serde::Serialize)]
//! struct Answer {
//!     token: String,
//! }
//!
//! let answer = Answer { token: "canary".to_string() };
//! assert!(serde_json::to_string(&answer).is_ok());
//! ```

use std::fmt;

mod store;

pub use store::{SERVICE, SecretError, SecretStore, TOKEN_LEN, random_token};

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

    /// Compiles only while `Sensitive<String>` does not implement `Serialize`: were it to, both
    /// impls below would apply and the call would be ambiguous. (The doc test at the top of
    /// this module shows the same with serde_json; this one runs with the unit tests.)
    #[test]
    fn sensitive_does_not_implement_serialize() {
        trait AmbiguousIfSerialize<A> {
            fn check() {}
        }
        impl<T: ?Sized> AmbiguousIfSerialize<()> for T {}
        struct ViaSerialize;
        impl<T: ?Sized + serde::Serialize> AmbiguousIfSerialize<ViaSerialize> for T {}
        <Sensitive<String> as AmbiguousIfSerialize<_>>::check();
    }
}
