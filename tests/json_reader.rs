//! The crate's JSON reader (`notebook::json`) against serde_json on generated text: it
//! never panics, accepts what serde_json accepts and refuses what it refuses, and reads
//! the same value. Native only (proptest).

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;

/// JSON-like text: valid documents, with some bytes changed, cut or repeated.
fn texts() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|x| format!("{x:e}")),
        "[0-9eE.+-]{1,8}",
        "\"([a-z]|\\\\[nrtbf/\\\\\"u]|\\\\u[0-9a-fA-F]{4}|é|\\x01)*\"",
    ];
    let value = atom.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec(("[a-c]{1,2}", inner), 0..5).prop_map(|fields| {
                let fields: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\" : {v}")).collect();
                format!("{{ {} }}", fields.join(" ,"))
            }),
        ]
    });
    (value, any::<u16>(), 0..4u8, "[\\[\\]{}:,\" a0.\\\\-]").prop_map(|(text, at, how, piece)| {
        let at = usize::from(at) % (text.len() + 1);
        let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        match how {
            0 => text,
            1 => format!("{}{piece}{}", &text[..at], &text[at..]),
            2 => text[..at].to_string(),
            _ => format!("{}{}", &text[..at], &text[at..].chars().skip(1).collect::<String>()),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn reads_values_as_serde_json_does(text in texts()) {
        let ours = notebook::json::read::<serde_json::Value>(&text);
        let theirs = serde_json::from_str::<serde_json::Value>(&text);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => prop_assert!(same(a, b), "{text}: {a} against {b}"),
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "{text}: {ours:?} against {theirs:?}"),
        }
    }
}

/// Equal, floats to within serde_json's rounding (without its `float_roundtrip` feature
/// it may miss the nearest float by a unit or two in the last place, as in
/// `-9.437901956363489e-17`; the crate's reader rounds correctly).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() && y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x == y || (x.signum() == y.signum() && x.to_bits().abs_diff(y.to_bits()) <= 4)
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((kx, x), (ky, y))| kx == ky && same(x, y))
        }
        _ => a == b,
    }
}
