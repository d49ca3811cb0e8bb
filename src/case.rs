//! Unicode case mapping: Python's `str.lower()` and `str.upper()`, which are Rust's
//! `str::to_lowercase` and `str::to_uppercase` (full mappings: `ß` upper is `SS`, a final
//! `Σ` lower is `ς`). ASCII text is mapped here. Other text is mapped by the host in the
//! browser (JavaScript's `toLowerCase` and `toUpperCase`, the same Unicode default case
//! conversion) and by std natively: std's case tables and the code that reads them are
//! 15 KB of the page's first load (gzip), for a handful of calls. The crate calls these,
//! never std's (`clippy.toml` refuses std's).

/// Lower and upper case of a string, named after Python's.
pub trait Case {
    /// The text in lower case (`str.lower()`).
    fn lower(&self) -> String;
    /// The text in upper case (`str.upper()`).
    fn upper(&self) -> String;
}

impl Case for str {
    fn lower(&self) -> String {
        if self.is_ascii() {
            return self.to_ascii_lowercase();
        }
        host::lower(self)
    }

    fn upper(&self) -> String {
        if self.is_ascii() {
            return self.to_ascii_uppercase();
        }
        host::upper(self)
    }
}

#[cfg(target_arch = "wasm32")]
mod host {
    pub fn lower(text: &str) -> String {
        js_sys::JsString::from(text).to_lower_case().into()
    }

    pub fn upper(text: &str) -> String {
        js_sys::JsString::from(text).to_upper_case().into()
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[allow(clippy::disallowed_methods)] // std's mapping is what the host's stands in for
mod host {
    pub fn lower(text: &str) -> String {
        text.to_lowercase()
    }

    pub fn upper(text: &str) -> String {
        text.to_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::Case;

    #[test]
    fn maps_as_python_s_lower_and_upper() {
        assert_eq!("Disk FULL".lower(), "disk full");
        assert_eq!("straße".upper(), "STRASSE");
        assert_eq!("ΟΔΟΣ ΟΔΟΣ".lower(), "οδος οδος");
        assert_eq!("İ".lower(), "i\u{307}");
        assert_eq!("".upper(), "");
    }
}
