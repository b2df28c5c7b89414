//! Raw profile → validated [`Profile`]. Every error names the file, the line and the field.
//! The running node's parts (health, status, stop) are checked in `validate_runtime`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::raw::{RawField, RawProfile};
use super::template::{FieldKind, FieldSpec, FieldValue, Template, is_field_name};
use super::validate_runtime::{health, status, stop};
use super::{BinarySource, Launch, PROFILE_SCHEMA, Profile, ProfileError};
use crate::model::Activity;
use crate::tomlspan::{SourceLocation, line_of_offset, locate};

pub(super) struct Ctx<'a> {
    src: &'a str,
    origin: &'a Path,
}

impl Ctx<'_> {
    pub(super) fn err(&self, field: &str, message: impl Into<String>) -> ProfileError {
        ProfileError {
            location: SourceLocation {
                file: self.origin.to_owned(),
                line: locate(self.src, field),
                field: Some(field.to_owned()),
            },
            message: message.into(),
        }
    }
}

pub(super) fn parse(src: &str, origin: &Path) -> Result<Profile, ProfileError> {
    let raw: RawProfile = toml::from_str(src).map_err(|e| ProfileError {
        location: SourceLocation {
            file: origin.to_owned(),
            line: e.span().map(|s| line_of_offset(src, s.start)),
            field: None,
        },
        message: e.message().trim().to_owned(),
    })?;
    validate(raw, &Ctx { src, origin })
}

fn validate(raw: RawProfile, cx: &Ctx<'_>) -> Result<Profile, ProfileError> {
    if raw.schema != PROFILE_SCHEMA {
        return Err(cx.err(
            "schema",
            format!(
                "profile format {} is not known to this Lightrig (it reads format {PROFILE_SCHEMA}); update Lightrig or the profile",
                raw.schema
            ),
        ));
    }
    if !is_id(&raw.id) {
        return Err(
            cx.err("id", "use 1-40 lower-case letters, digits and `-`, starting with a letter")
        );
    }
    if raw.name.trim().is_empty() || raw.name.chars().count() > 80 {
        return Err(cx.err("name", "give a display name of 1 to 80 characters"));
    }
    let activity =
        parse_activity(&raw.activity).ok_or_else(|| {
            cx.err("activity", format!(
            "`{}` is not an activity: use pow-mining, staking, storage, bandwidth or compute",
            raw.activity
        ))
        })?;
    let binary = binary(&raw, cx)?;
    let fields =
        raw.fields.iter().map(|(name, f)| field(name, f, cx)).collect::<Result<Vec<_>, _>>()?;
    let names: BTreeSet<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let tokens: BTreeSet<&str> = fields
        .iter()
        .filter(|f| matches!(f.kind, FieldKind::Token | FieldKind::Password))
        .map(|f| f.name.as_str())
        .collect();

    let template = |path: String, text: &str| -> Result<Template, ProfileError> {
        let t = Template::parse(text).map_err(|m| cx.err(&path, m))?;
        if let Some(unknown) = t.fields().find(|f| !names.contains(f)) {
            return Err(cx.err(&path, format!("`{{{unknown}}}` is not a field of this profile: declare it under [fields.{unknown}]")));
        }
        Ok(t)
    };

    let files = launch_files(&raw, &fields, cx, &template)?;
    // Arguments and the environment may also name a run file: its path.
    let file_names: BTreeSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let launch_template = |path: String, text: &str| -> Result<Template, ProfileError> {
        let t = Template::parse(text).map_err(|m| cx.err(&path, m))?;
        if let Some(unknown) = t.fields().find(|f| !names.contains(f) && !file_names.contains(f)) {
            return Err(cx.err(&path, format!("`{{{unknown}}}` is not a field of this profile (nor a [launch.files] file): declare it under [fields.{unknown}]")));
        }
        Ok(t)
    };

    let mut args = Vec::new();
    for (i, a) in raw.launch.args.iter().enumerate() {
        let path = format!("launch.args.{i}");
        let t = launch_template(path.clone(), a)?;
        if let Some(tok) = t.fields().find(|f| tokens.contains(f)) {
            return Err(cx.err(&path, format!(
                "`{{{tok}}}` is a secret: pass it in [launch.env] or a [launch.files] file, never on the command line, where other users of the computer can read it"
            )));
        }
        args.push(t);
    }
    let mut env = Vec::new();
    for (k, v) in &raw.launch.env {
        let path = format!("launch.env.{k}");
        if !is_env_name(k) {
            return Err(cx.err(
                &path,
                "environment variable names use A-Z, 0-9 and `_`, starting with a letter or `_`",
            ));
        }
        env.push((k.clone(), launch_template(path, v)?));
    }

    let health = health(&raw.health, cx, &template)?;
    let status = match &raw.status {
        Some(s) => Some(status(s, cx, &template)?),
        None => None,
    };
    let stop = stop(raw.stop.as_ref(), cx, &template)?;

    Ok(Profile {
        id: raw.id,
        name: raw.name,
        description: raw.description,
        activity,
        simulated: raw.simulated,
        binary,
        fields,
        launch: Launch { args, env, files },
        health,
        status,
        stop,
        origin: cx.origin.to_owned(),
    })
}

fn binary(raw: &RawProfile, cx: &Ctx<'_>) -> Result<BinarySource, ProfileError> {
    let b = &raw.binary;
    let name = |cx: &Ctx<'_>| -> Result<String, ProfileError> {
        match &b.name {
            Some(n) if is_program_name(n) => Ok(n.clone()),
            Some(_) => Err(cx.err(
                "binary.name",
                "a program name has no path separators, spaces or leading `-`",
            )),
            None => Err(cx.err("binary", format!("source `{}` needs `name`", b.source))),
        }
    };
    if b.node.is_some() && b.source != "installed" {
        return Err(cx.err("binary.node", "`node` belongs to source = \"installed\" only"));
    }
    match b.source.as_str() {
        "bundled" => Ok(BinarySource::Bundled { name: name(cx)? }),
        "search-path" => Ok(BinarySource::SearchPath { name: name(cx)? }),
        "path" => match &b.path {
            Some(p) if Path::new(p).is_absolute() => {
                Ok(BinarySource::Path { path: PathBuf::from(p) })
            }
            Some(_) => Err(cx.err("binary.path", "give an absolute path to the program")),
            None => Err(cx.err("binary", "source `path` needs `path`")),
        },
        "installed" => match &b.node {
            Some(n) if is_id(n) => Ok(BinarySource::Installed { node: n.clone() }),
            Some(_) => Err(cx.err(
                "binary.node",
                "a node id uses 1-40 lower-case letters, digits and `-`, starting with a letter",
            )),
            None => Ok(BinarySource::Installed { node: raw.id.clone() }),
        },
        other => Err(cx.err(
            "binary.source",
            format!(
                "`{other}` is not a binary source: use installed, search-path, path or bundled"
            ),
        )),
    }
}

fn field(name: &str, f: &RawField, cx: &Ctx<'_>) -> Result<FieldSpec, ProfileError> {
    let at = |k: &str| format!("fields.{name}.{k}");
    if !is_field_name(name) {
        return Err(
            cx.err(&format!("fields.{name}"), "field names use lower-case letters, digits and `_`")
        );
    }
    let kind = match f.kind.as_str() {
        "integer" => {
            let (min, max) = (f.min.unwrap_or(i64::MIN), f.max.unwrap_or(i64::MAX));
            if min > max {
                return Err(cx.err(&at("min"), format!("min ({min}) is larger than max ({max})")));
            }
            FieldKind::Integer { min, max }
        }
        "text" => {
            let pattern = match &f.pattern {
                Some(p) => Some(regex::Regex::new(&format!("^(?:{p})$")).map_err(|e| cx.err(&at("pattern"), format!("not a valid pattern: {e}")))?),
                None => None,
            };
            FieldKind::Text { pattern, max_len: f.max_len.unwrap_or(256).min(4096) }
        }
        "choice" => match &f.choices {
            Some(c) if !c.is_empty() => FieldKind::Choice { choices: c.clone() },
            _ => return Err(cx.err(&at("choices"), "a choice field needs a non-empty `choices` list")),
        },
        "bool" => FieldKind::Bool,
        "port" => FieldKind::Port,
        "token" => FieldKind::Token,
        "password" => FieldKind::Password,
        "path" => FieldKind::Path,
        "monero-address" => {
            use crate::address::MoneroNetwork;
            let network = match f.network.as_deref().unwrap_or("mainnet") {
                "mainnet" => MoneroNetwork::Mainnet,
                "stagenet" => MoneroNetwork::Stagenet,
                "testnet" => MoneroNetwork::Testnet,
                other => return Err(cx.err(&at("network"), format!("`{other}` is not a Monero network: use mainnet, stagenet or testnet"))),
            };
            FieldKind::MoneroAddress { network }
        }
        "evm-address" => FieldKind::EvmAddress,
        other => return Err(cx.err(&at("type"), format!("`{other}` is not a field type: use integer, text, choice, bool, port, token, password, path, monero-address or evm-address"))),
    };
    let mut spec = FieldSpec {
        name: name.to_owned(),
        kind,
        label: f.label.clone().unwrap_or_else(|| name.replace('_', " ")),
        help: f.help.clone(),
        default: None,
        required: f.required.unwrap_or(false),
    };
    if f.default.is_some() && matches!(spec.kind, FieldKind::Password) {
        return Err(cx.err(
            &at("default"),
            "a password has no default: the user enters it, and it is kept in the keychain",
        ));
    }
    if let Some(d) = &f.default {
        let v = FieldValue::from_toml(d).ok_or_else(|| {
            cx.err(&at("default"), "a default is a string, an integer or a boolean")
        })?;
        spec.check(&v).map_err(|m| cx.err(&at("default"), format!("default {m}")))?;
        spec.default = Some(v);
    }
    Ok(spec)
}

/// `[launch.files]`: each name is a field-style name not used by a field, and each content
/// template may use only fields whose values cannot break the file's syntax (a path may hold
/// quotes or backslashes) and never a typed password (files are for generated secrets).
fn launch_files(
    raw: &RawProfile,
    fields: &[FieldSpec],
    cx: &Ctx<'_>,
    template: &TemplateFn<'_>,
) -> Result<Vec<(String, Template)>, ProfileError> {
    let mut files = Vec::new();
    for (name, content) in &raw.launch.files {
        let path = format!("launch.files.{name}");
        if !is_field_name(name) {
            return Err(cx.err(&path, "run file names use lower-case letters, digits and `_`"));
        }
        if fields.iter().any(|f| &f.name == name) {
            return Err(
                cx.err(&path, format!("`{name}` is already a field: name the file differently"))
            );
        }
        let t = template(path.clone(), content)?;
        let unfit = t.fields().find_map(|used| {
            fields
                .iter()
                .find(|f| f.name == used && matches!(f.kind, FieldKind::Path | FieldKind::Password))
        });
        if let Some(f) = unfit {
            return Err(cx.err(&path, format!(
                "`{{{}}}` is a {} field, which cannot go into a run file: use it in [launch.args] or [launch.env]",
                f.name,
                f.kind.name()
            )));
        }
        files.push((name.clone(), t));
    }
    Ok(files)
}

pub(super) type TemplateFn<'a> = dyn Fn(String, &str) -> Result<Template, ProfileError> + 'a;

fn parse_activity(s: &str) -> Option<Activity> {
    Activity::ALL.into_iter().find(|a| a.as_str() == s)
}

fn is_id(s: &str) -> bool {
    let mut c = s.chars();
    (1..=40).contains(&s.len())
        && matches!(c.next(), Some('a'..='z'))
        && c.all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
}

fn is_env_name(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some('A'..='Z' | '_'))
        && c.all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '_')
}

fn is_program_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && !s.starts_with('-')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
