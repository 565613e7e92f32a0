//! The `sladd-decision` element message: a decision as a `GstStructure`.

use gst::glib;
use serde_json::Value;
use sladd_policy::Decision;

/// The name of the element message `sladdmask` posts when the decision
/// changes (and for the first frame).
pub const DECISION_MESSAGE: &str = "sladd-decision";

/// The decision as a structure named [`DECISION_MESSAGE`] with the fields of
/// `sladd plan --json` (`camera`, `at`, `unknown_instant`, `full_frame`,
/// `full_frame_rule`, `full_frame_reason`, `active_purposes`, `zones` as an
/// array of `zone` structures, `valid_until`; absent values are null
/// strings), plus `json`, the same decision as one JSON object.
#[must_use]
pub fn decision_structure(decision: &Decision) -> gst::Structure {
    let json = serde_json::to_value(decision).unwrap_or(Value::Null);
    let mut structure = match &json {
        Value::Object(fields) => object_structure(DECISION_MESSAGE, fields),
        _ => gst::Structure::new_empty(DECISION_MESSAGE),
    };
    structure.set("json", json.to_string());
    structure
}

/// A structure named `name` holding `fields`.
fn object_structure(name: &str, fields: &serde_json::Map<String, Value>) -> gst::Structure {
    let mut structure = gst::Structure::new_empty(name);
    for (key, value) in fields {
        structure.set_value(key.as_str(), send_value(key, value));
    }
    structure
}

/// A JSON value as a GLib value: strings, booleans, integers and doubles as
/// themselves, null as a null string, arrays as `GstValueArray`, objects as
/// structures named after the field's singular (`zones` → `zone`).
fn send_value(key: &str, value: &Value) -> glib::SendValue {
    use gst::prelude::*;
    match value {
        Value::Null => None::<&str>.to_send_value(),
        Value::Bool(b) => b.to_send_value(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_send_value(),
            None => n.as_f64().unwrap_or(f64::NAN).to_send_value(),
        },
        Value::String(s) => s.to_send_value(),
        Value::Array(items) => {
            let item_key = key.strip_suffix('s').unwrap_or(key);
            gst::Array::new(items.iter().map(|item| send_value(item_key, item))).to_send_value()
        }
        Value::Object(fields) => object_structure(key, fields).to_send_value(),
    }
}
