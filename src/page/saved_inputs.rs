//! Remembered inputs: a value a person types into a cell's form is kept in
//! `localStorage` (one key per cell id and input name) and put back after a reload;
//! **Reset inputs** restores every default and forgets what was kept. A field's default
//! is its `defaultValue`, set from the catalogue when the cell is drawn. An opened `.ipynb`
//! puts its values back the same way ([`SavedInputs::restore`]).

use web_sys::HtmlInputElement;

use super::dom::on;
use super::local_store;

/// One input field of one cell.
struct Field {
    key: String,
    element: HtmlInputElement,
}

/// The input fields of every cell, remembered as they change.
#[derive(Default)]
pub struct SavedInputs {
    fields: Vec<Field>,
}

fn key(cell_id: &str, name: &str) -> String {
    format!("input:{cell_id}:{name}")
}

impl SavedInputs {
    /// Puts back the saved value of each `(cell id, input name, field)` and saves every
    /// later edit (a value equal to the default is forgotten rather than kept).
    pub fn remember<'a>(
        &mut self,
        fields: impl IntoIterator<Item = (&'a str, &'static str, HtmlInputElement)>,
    ) {
        for (cell_id, name, element) in fields {
            let key = key(cell_id, name);
            if let Some(value) = local_store::get(&key) {
                element.set_value(&value);
            }
            let (field, storage_key) = (element.clone(), key.clone());
            on(&element, "input", move |_| save(&field, &storage_key));
            self.fields.push(Field { key, element });
        }
    }

    /// Sets input `name` of cell `cell_id` to `value` and keeps it, as if typed; `false` if
    /// the page has no such input.
    pub fn restore(&self, cell_id: &str, name: &str, value: &str) -> bool {
        let key = key(cell_id, name);
        let Some(field) = self.fields.iter().find(|f| f.key == key) else { return false };
        field.element.set_value(value);
        save(&field.element, &key);
        true
    }

    /// Puts every default back and forgets the saved values.
    pub fn reset(&self) {
        for field in &self.fields {
            field.element.set_value(&field.element.default_value());
            local_store::remove(&field.key);
        }
    }
}

/// Keeps a field's value under `key` (a value equal to its default is forgotten instead).
fn save(field: &HtmlInputElement, key: &str) {
    let value = field.value();
    if value == field.default_value() {
        local_store::remove(key);
    } else {
        local_store::set(key, &value);
    }
}
