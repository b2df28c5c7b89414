//! The per-run API token. It arrives in the environment, is checked once, and is never printed:
//! its Debug form is redacted and it has no Display.

use sha2::{Digest, Sha256};

/// Name of the environment variable that carries the token.
pub const TOKEN_ENV: &str = "LIGHTRIG_PRACTICE_TOKEN";

const MIN_LEN: usize = 16;
const MAX_LEN: usize = 128;

/// A validated bearer token (16..=128 characters of `[A-Za-z0-9_-]`).
pub struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl Token {
    /// Reads and validates the token from [`TOKEN_ENV`]. The error never contains the value.
    pub fn from_env() -> Result<Self, String> {
        match std::env::var(TOKEN_ENV) {
            Ok(value) => Self::parse(value),
            Err(std::env::VarError::NotPresent) => {
                Err(format!("{TOKEN_ENV} is not set; it must hold the per-run token ({})", rule()))
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                Err(format!("{TOKEN_ENV} is malformed; it must be {}", rule()))
            }
        }
    }

    fn parse(value: String) -> Result<Self, String> {
        let well_formed = (MIN_LEN..=MAX_LEN).contains(&value.len())
            && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if well_formed {
            Ok(Token(value))
        } else {
            Err(format!("{TOKEN_ENV} is malformed; it must be {}", rule()))
        }
    }

    /// Compares a presented token in constant time. Both sides are hashed first so neither the
    /// content nor the length of the real token leaks through timing.
    pub fn matches(&self, presented: &[u8]) -> bool {
        let expected = Sha256::digest(self.0.as_bytes());
        let given = Sha256::digest(presented);
        let diff = expected.iter().zip(given.iter()).fold(0u8, |acc, (a, b)| acc | (a ^ b));
        diff == 0
    }
}

fn rule() -> String {
    format!("{MIN_LEN} to {MAX_LEN} characters of A-Z, a-z, 0-9, '_' or '-'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_well_formed_tokens() {
        assert!(Token::parse("abcdefghijklmnop".into()).is_ok());
        assert!(Token::parse("a".repeat(128)).is_ok());
        assert!(Token::parse("short".into()).is_err());
        assert!(Token::parse("a".repeat(129)).is_err());
        assert!(Token::parse("abcdefghijklmno p".into()).is_err());
    }

    #[test]
    fn matches_compares_exactly_and_debug_is_redacted() {
        let token = Token::parse("secret-token-1234".into()).unwrap();
        assert!(token.matches(b"secret-token-1234"));
        assert!(!token.matches(b"secret-token-1235"));
        assert!(!token.matches(b"secret-token-123"));
        assert!(!format!("{token:?}").contains("secret"));
    }
}
