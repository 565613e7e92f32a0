//! Legal holds: recordings kept past their deadline for a case (a clip for
//! the police), never past the longest lawful retention.
//!
//! A holds file is TOML (`[[holds]]` tables) or JSON (a list, or
//! `{"holds": [...]}`), each hold with `case`, `camera`, `from`, `to`
//! (RFC 3339), `reason` and `until` (a date, the last day of the hold, in
//! the site's time zone). `sladd retention` reads `--holds FILE`, else
//! `holds.toml` or `holds.json` beside the site file.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One legal hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hold {
    /// The case it is for (a police case number).
    pub case: String,
    /// The camera whose recordings it holds.
    pub camera: String,
    /// The start of the time range it covers.
    pub from: Timestamp,
    /// The end of the time range it covers.
    pub to: Timestamp,
    /// Why, in words.
    pub reason: String,
    /// The last day of the hold.
    pub until: Date,
}

impl Hold {
    /// Whether the hold covers a recording spanning `start..=end` of `camera`.
    #[must_use]
    pub fn covers(&self, camera: &str, start: Timestamp, end: Timestamp) -> bool {
        self.camera == camera && self.from <= end && start <= self.to
    }

    /// The instant the hold ends: the end of its `until` day in `tz`.
    #[must_use]
    pub fn ends_at(&self, tz: &TimeZone) -> Timestamp {
        self.until
            .tomorrow()
            .ok()
            .and_then(|d| d.to_zoned(tz.clone()).ok())
            .map_or(Timestamp::MAX, |z| z.timestamp())
    }
}

/// The holds file to read: `explicit`, else `holds.toml` or `holds.json`
/// beside the site file (`None` when there is none).
///
/// # Errors
/// [`Error::Holds`] when both `holds.toml` and `holds.json` exist.
pub fn locate(explicit: Option<&Path>, site_file: &Path) -> Result<Option<PathBuf>> {
    if let Some(path) = explicit {
        return Ok(Some(path.to_path_buf()));
    }
    let dir = site_file.parent().unwrap_or(Path::new(""));
    let found: Vec<PathBuf> = ["holds.toml", "holds.json"]
        .iter()
        .map(|name| dir.join(name))
        .filter(|p| p.is_file())
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        _ => Err(Error::Holds {
            file: dir.join("holds.toml").display().to_string(),
            message: "both holds.toml and holds.json are beside the site file; keep one, or name it with --holds".to_owned(),
        }),
    }
}

/// Reads a holds file (`.toml` or `.json`).
///
/// # Errors
/// [`Error::Io`] when it cannot be read, [`Error::Holds`] naming the file,
/// line and field when it is not valid.
pub fn load(path: &Path) -> Result<Vec<Hold>> {
    let text = std::fs::read_to_string(path).map_err(Error::io("cannot read", path))?;
    let name = path.display().to_string();
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if json {
        parse_json(&text, &name)
    } else {
        parse_toml(&text, &name)
    }
}

/// Parses the text of a TOML holds file called `file`.
///
/// # Errors
/// [`Error::Holds`] naming the line, column and field.
pub fn parse_toml(text: &str, file: &str) -> Result<Vec<Hold>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let at = e.span().map(|s| line_column(text, s.start));
        Error::Holds {
            file: located(file, at),
            message: e.message().trim_end().to_owned(),
        }
    })?;
    compile(raw.holds, file)
}

/// Parses the text of a JSON holds file called `file`: a list of holds or
/// `{"holds": [...]}`.
///
/// # Errors
/// [`Error::Holds`] naming the line and column.
pub fn parse_json(text: &str, file: &str) -> Result<Vec<Hold>> {
    let syntax = |e: serde_json::Error| {
        let message = e.to_string();
        let message = message
            .rfind(" at line ")
            .and_then(|i| message.get(..i))
            .unwrap_or(&message)
            .to_owned();
        Error::Holds {
            file: located(file, Some((e.line(), e.column()))),
            message,
        }
    };
    let text = text.trim_start_matches('\u{feff}');
    let raw: Vec<RawHold> = if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(syntax)?
    } else {
        serde_json::from_str::<RawFile>(text).map_err(syntax)?.holds
    };
    compile(raw, file)
}

fn located(file: &str, at: Option<(usize, usize)>) -> String {
    match at {
        Some((line, column)) => format!("{file}:{line}:{column}"),
        None => file.to_owned(),
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        line,
        before.get(start..).map_or(0, |s| s.chars().count()) + 1,
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    holds: Vec<RawHold>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHold {
    case: String,
    camera: String,
    from: TimeText,
    to: TimeText,
    #[serde(default)]
    reason: String,
    until: TimeText,
}

/// A time as a string, or as a TOML date-time value (written unquoted).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum TimeText {
    Text(String),
    Toml(toml::value::Datetime),
}

impl TimeText {
    fn text(&self) -> String {
        match self {
            Self::Text(s) => s.clone(),
            Self::Toml(d) => d.to_string(),
        }
    }
}

fn compile(raw: Vec<RawHold>, file: &str) -> Result<Vec<Hold>> {
    raw.into_iter()
        .enumerate()
        .map(|(i, h)| {
            let bad = |field: &str, message: String| Error::Holds {
                file: file.to_owned(),
                message: format!("holds[{i}].{field}: {message}"),
            };
            let instant = |field: &str, value: &TimeText| {
                let text = value.text();
                text.parse::<Timestamp>().map_err(|_| {
                    bad(
                        field,
                        format!("'{text}' is not an RFC 3339 instant with an offset"),
                    )
                })
            };
            let from = instant("from", &h.from)?;
            let to = instant("to", &h.to)?;
            if to < from {
                return Err(bad("to", format!("{to} is before from ({from})")));
            }
            let until_text = h.until.text();
            let until = until_text
                .parse::<Date>()
                .map_err(|_| bad("until", format!("'{until_text}' is not a date YYYY-MM-DD")))?;
            if h.case.trim().is_empty() {
                return Err(bad("case", "the case id is empty".to_owned()));
            }
            Ok(Hold {
                case: h.case,
                camera: h.camera,
                from,
                to,
                reason: h.reason,
                until,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"
[[holds]]
case = "2026-1234"
camera = "kasse-1"
from = "2026-03-01T10:00:00+01:00"
to = 2026-03-01T11:00:00+01:00
reason = "robbery, police case"
until = 2026-03-20
"#;

    #[test]
    fn toml_and_json_read_the_same() {
        let a = parse_toml(TOML, "holds.toml").unwrap();
        let json = r#"[{"case": "2026-1234", "camera": "kasse-1",
            "from": "2026-03-01T10:00:00+01:00", "to": "2026-03-01T11:00:00+01:00",
            "reason": "robbery, police case", "until": "2026-03-20"}]"#;
        assert_eq!(parse_json(json, "holds.json").unwrap(), a);
        let wrapped = format!("{{\"holds\": {}}}", json);
        assert_eq!(parse_json(&wrapped, "holds.json").unwrap(), a);
        assert_eq!(a[0].until, jiff::civil::date(2026, 3, 20));
        let oslo = TimeZone::get("Europe/Oslo").unwrap();
        assert_eq!(
            a[0].ends_at(&oslo),
            "2026-03-20T23:00:00Z".parse::<Timestamp>().unwrap()
        );
    }

    #[test]
    fn errors_name_the_file_line_and_field() {
        let typo = TOML.replace("reason", "reasn");
        let e = parse_toml(&typo, "holds.toml").unwrap_err().to_string();
        assert!(
            e.starts_with("holds.toml:7:1: unknown field `reasn`"),
            "{e}"
        );
        let bad = TOML.replace("2026-03-20", "20 March");
        let e = parse_toml(&bad, "holds.toml").unwrap_err().to_string();
        assert!(e.contains("holds.toml"), "{e}");
        let local = TOML.replace("\"2026-03-01T10:00:00+01:00\"", "\"2026-03-01 10:00\"");
        let e = parse_toml(&local, "holds.toml").unwrap_err().to_string();
        assert!(
            e.contains("holds[0].from: '2026-03-01 10:00' is not an RFC 3339"),
            "{e}"
        );
        let e = parse_json("[{\"case\": 1}]", "h.json")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("h.json:1:"), "{e}");
    }

    #[test]
    fn covers_overlapping_spans_of_its_camera() {
        let hold = &parse_toml(TOML, "holds.toml").unwrap()[0];
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        assert!(hold.covers(
            "kasse-1",
            t("2026-03-01T09:30:00+01:00"),
            t("2026-03-01T10:00:00+01:00")
        ));
        assert!(!hold.covers(
            "kasse-1",
            t("2026-03-01T09:00:00+01:00"),
            t("2026-03-01T09:59:59+01:00")
        ));
        assert!(!hold.covers(
            "lager",
            t("2026-03-01T10:30:00+01:00"),
            t("2026-03-01T10:31:00+01:00")
        ));
    }
}
