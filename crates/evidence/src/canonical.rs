//! The canonical form of a site configuration, whose hash a manifest
//! records: the same for every spelling of the same configuration.
//!
//! The site file (`.toml` or `.json`) is parsed into a JSON value (TOML
//! dates become their TOML text, NaN and infinities `null`) and written as
//! RFC 8785 JSON (JCS): no whitespace, object keys sorted by UTF-16 code
//! units, numbers in ECMAScript's shortest form (`1.0` and `1` are both
//! `1`), strings with JSON's minimal escapes. Comments, whitespace, key
//! order and TOML-versus-JSON do not change it; any change of a value does.
//! Anyone can recompute the hash with any JCS implementation.
//!
//! Version-1 manifests hashed an earlier, sladd-specific canonical form
//! (keys sorted by UTF-8 bytes, non-integral numbers in Rust's shortest
//! round-trip spelling); [`canonical_config_for`] still computes it, so
//! those manifests keep verifying.

use std::path::Path;

use serde_json::Value;
use sladd_policy::Format;

use crate::error::{Error, Result};
use crate::manifest::Version;

/// The canonical form (RFC 8785) of the site file at `path`.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read, [`Error::Policy`] for an
/// extension other than `.toml` or `.json`, [`Error::ConfigSyntax`] when it
/// does not parse.
pub fn canonical_config(path: &Path) -> Result<String> {
    canonical_config_for(path, Version::CURRENT)
}

/// The canonical form of the site file at `path` as manifests of `version`
/// define it.
///
/// # Errors
/// As [`canonical_config`].
pub fn canonical_config_for(path: &Path, version: Version) -> Result<String> {
    let value = config_value(path)?;
    match version {
        Version::V1 => Ok(legacy::canonical(&value)),
        Version::V2 => jcs(&value).map_err(|source| Error::Canonical {
            path: path.to_owned(),
            source,
        }),
    }
}

/// `value` as RFC 8785 text.
pub(crate) fn jcs<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    serde_jcs::to_string(value)
}

/// The site file at `path` as a JSON value.
fn config_value(path: &Path) -> Result<Value> {
    let format = Format::from_path(path)?;
    let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
    // A byte-order mark is no part of the configuration (the policy reads
    // such files too).
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let syntax = |reason: String| Error::ConfigSyntax {
        path: path.to_owned(),
        reason,
    };
    Ok(match format {
        Format::Toml => {
            let table: toml::Table =
                toml::from_str(text).map_err(|e| syntax(format!("not valid TOML: {e}")))?;
            from_toml(toml::Value::Table(table))
        }
        Format::Json => {
            serde_json::from_str(text).map_err(|e| syntax(format!("not valid JSON: {e}")))?
        }
    })
}

/// A TOML value as JSON (dates as their TOML text, non-finite floats `null`).
fn from_toml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(from_toml).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, from_toml(v))).collect())
        }
    }
}

/// The canonical form of manifest version 1.
mod legacy {
    use serde_json::Value;

    /// Compact JSON, keys sorted by UTF-8 bytes, integral numbers below
    /// 2^53 as integers, others in Rust's shortest round-trip form.
    pub(super) fn canonical(value: &Value) -> String {
        let mut out = String::new();
        write(value, &mut out);
        out
    }

    fn write(value: &Value, out: &mut String) {
        match value {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(&number(n)),
            Value::String(s) => out.push_str(&Value::String(s.clone()).to_string()),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(item, out);
                }
                out.push(']');
            }
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                out.push('{');
                for (i, key) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(key.clone()).to_string());
                    out.push(':');
                    if let Some(v) = map.get(key) {
                        write(v, out);
                    }
                }
                out.push('}');
            }
        }
    }

    fn number(n: &serde_json::Number) -> String {
        if let Some(i) = n.as_i64() {
            return i.to_string();
        }
        if let Some(u) = n.as_u64() {
            return u.to_string();
        }
        match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => {
                format!("{}", f as i64)
            }
            Some(f) => format!("{f:?}"),
            None => n.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(name: &str, text: &str, version: Version) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        canonical_config_for(&path, version).unwrap()
    }

    const TOML_A: &str = "# a comment\n[site]\nname = \"S\"\nratio = 1.0\nlist = [0.10, 2.5e1]\n";
    const TOML_B: &str = "[site]\nlist = [ 0.1 , 25.0 ]   # again\nratio=1\nname='S'\n";
    const JSON: &str = r#"{ "site": { "ratio": 1, "name": "S", "list": [1e-1, 25] } }"#;

    #[test]
    fn spelling_does_not_change_the_canonical_form() {
        for version in [Version::V1, Version::V2] {
            let a = canon("a.toml", TOML_A, version);
            assert_eq!(a, r#"{"site":{"list":[0.1,25],"name":"S","ratio":1}}"#);
            assert_eq!(canon("b.toml", TOML_B, version), a);
            assert_eq!(canon("c.json", JSON, version), a);
            assert_ne!(canon("d.toml", &TOML_A.replace("0.10", "0.11"), version), a);
        }
    }

    /// Where RFC 8785 and the version-1 form differ: exponents, and keys
    /// outside the Basic Multilingual Plane (UTF-16 order puts U+1F600,
    /// a surrogate pair starting 0xD83D, before U+FB01; UTF-8 after).
    #[test]
    fn rfc_8785_numbers_and_key_order() {
        let json = r#"{"big": 1e21, "small": 1e-7, "ﬁ": 1, "😀": 2}"#;
        assert_eq!(
            canon("n.json", json, Version::V2),
            r#"{"big":1e+21,"small":1e-7,"😀":2,"ﬁ":1}"#
        );
        assert_eq!(
            canon("n.json", json, Version::V1),
            r#"{"big":1e21,"small":1e-7,"ﬁ":1,"😀":2}"#
        );
    }

    #[test]
    fn a_file_that_does_not_parse_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "[site\n").unwrap();
        let e = canonical_config(&path).unwrap_err();
        assert!(e.to_string().contains("bad.toml: not valid TOML"), "{e}");
    }
}
