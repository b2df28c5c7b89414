//! Profiles embedded in the binary, so Lightrig works on a fresh machine with no files.

use super::Profile;
use crate::tomlspan::builtin_path;

/// (file name, text) of every built-in profile. A test parses each one.
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    ("practice.toml", include_str!("builtin/practice.toml")),
    ("xmrig.toml", include_str!("builtin/xmrig.toml")),
    ("p2pool.toml", include_str!("builtin/p2pool.toml")),
    ("monerod.toml", include_str!("builtin/monerod.toml")),
    ("storj.toml", include_str!("builtin/storj.toml")),
    ("mysterium.toml", include_str!("builtin/mysterium.toml")),
];

/// The built-in profiles. A built-in that fails validation is a bug caught by the test suite,
/// so it is logged and skipped here rather than taking the app down.
pub fn builtin_profiles() -> Vec<Profile> {
    BUILTIN
        .iter()
        .filter_map(|(name, text)| match Profile::parse(text, &builtin_path(name)) {
            Ok(p) => Some(p),
            Err(e) => {
                tracing::error!(error = %e, "built-in profile is invalid");
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_profile_validates() {
        for (name, text) in BUILTIN {
            Profile::parse(text, &builtin_path(name)).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(builtin_profiles().len(), BUILTIN.len());
    }
}
