//! Small remembered settings in the browser's `localStorage`, under keys starting with
//! `rust-notebook:`. Storage may be missing or refused (private windows, blocked
//! cookies, a full quota): then nothing is remembered and the page works as before.

use web_sys::Storage;

const PREFIX: &str = "rust-notebook:";

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The value kept under `key`, if storage works and holds one.
pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(&format!("{PREFIX}{key}")).ok().flatten()
}

/// Keeps `value` under `key`; does nothing if storage refuses.
pub fn set(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(&format!("{PREFIX}{key}"), value);
    }
}

/// Forgets `key`; does nothing if storage refuses.
pub fn remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&format!("{PREFIX}{key}"));
    }
}
